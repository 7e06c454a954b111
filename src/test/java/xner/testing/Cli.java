package xner.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import xner.cli.Xner;

/**
 * Runs {@code xner} in this JVM as {@code bin/xner} would, through {@link Xner#commandLine()}, and captures what
 * it prints: {@link #run} for a command that returns, {@link #start} for one that runs until stopped
 * ({@code serve}).
 */
public final class Cli {
    private Cli() {}

    /** stdout, stderr and the exit code of one run of {@code xner args...}. */
    public record Run(int exit, String out, String err) {}

    /** Runs {@code xner args...} to its end. */
    public static Run run(String... args) {
        CommandLine cli = Xner.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Starts {@code xner args...} on a thread of its own; stdout is dropped, stderr is kept (flushed per line). */
    public static Background start(String... args) {
        return new Background(args);
    }

    /** A command running on its own thread: its stderr so far, and its exit code once it has returned. */
    public static final class Background {
        private final StringWriter err = new StringWriter();
        private final AtomicInteger exit = new AtomicInteger(-1);
        private final Thread thread;

        private Background(String... args) {
            CommandLine cli = Xner.commandLine();
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter()));
            thread = new Thread(() -> exit.set(cli.execute(args)));
            thread.start();
        }

        /** What the command has written to stderr so far. */
        public String err() {
            return err.toString();
        }

        /** The exit code, or -1 while the command runs. */
        public int exit() {
            return exit.get();
        }

        /** The thread the command runs on: interrupt it to stop {@code serve}. */
        public Thread thread() {
            return thread;
        }

        /**
         * Waits up to 15 s (300 polls, 50 ms apart) for stderr to contain {@code pattern}; returns the matcher of
         * the last poll, which has found it unless the time ran out.
         */
        public Matcher awaitErr(Pattern pattern) throws InterruptedException {
            Matcher m = pattern.matcher("");
            for (int i = 0; i < 300 && !(m = pattern.matcher(err())).find(); i++) Thread.sleep(50);
            return m;
        }
    }
}
