/** The command line: one picocli class per subcommand. */
package xner.cli;
