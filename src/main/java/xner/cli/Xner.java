package xner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.ExitGate;

/**
 * The {@code xner} command: multilingual named-entity recognition, one subcommand per step of the work.
 *
 * <pre>
 *   bin/xner corpus --data-dir ../shared/data
 *   bin/xner fill-mask "Paris is the capital of [MASK] ."
 * </pre>
 */
@Command(
        name = "xner",
        mixinStandardHelpOptions = true,
        version = "xner 0.1.0",
        description = "Multilingual named-entity recognition (PAN-X / WikiANN) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, CorpusCommand.class, TrainCommand.class, EvaluateCommand.class,
                TagCommand.class, SelectCommand.class, AnnotateCommand.class, ServeCommand.class, ExportCommand.class, FillMaskCommand.class,
                ExperimentCommand.class, AnalyzeCommand.class, CalibrateCommand.class, BenchCommand.class})
public final class Xner implements Callable<Integer> {
    /** Exit codes, as the commands return them. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;
    /** {@code tag --input} finished, but skipped more malformed records than {@code --max-skipped} allows. */
    public static final int EXIT_SKIPPED = 3;

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the full stack trace of an error.")
    boolean stacktrace;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_OK;
    }

    public static void main(String[] args) {
        ExitGate.installShutdownHook(System.err); // Ctrl-C stops training between two steps, not inside libtorch
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: one exception handler, one exit-code mapping. */
    public static CommandLine commandLine() {
        NativeRuntime.configureDefaults();
        CommandLine cli = new CommandLine(new Xner());
        cli.setExecutionExceptionHandler(Xner::handle);
        // bad arguments (picocli's ParameterException) are bad input too
        cli.setExitCodeExceptionMapper(e -> e instanceof XnerInputException || e instanceof CommandLine.ParameterException
                ? EXIT_BAD_INPUT : EXIT_FAILURE);
        return cli;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean trace = parsed.hasMatchedOption("--stacktrace")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"));
        if (trace) e.printStackTrace(err);
        else err.println("xner: " + (e.getMessage() != null ? e.getMessage() : e.toString())
                + (e instanceof XnerInputException ? "" : "  (--stacktrace for details)"));
        err.flush();
        return e instanceof XnerInputException ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }
}
