package xner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code xner bench}: speed measurements, one subcommand per kind of work ({@code bench infer}). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchInferCommand.class},
        description = "Measure speed on this machine (run on a quiet machine, beside the plain-PyTorch reference).")
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Xner.EXIT_OK;
    }
}
