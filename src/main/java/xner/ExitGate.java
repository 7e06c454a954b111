package xner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lets Ctrl-C (or SIGTERM) stop training between two steps instead of in the middle of one.
 *
 * <p>Why: when the JVM exits it runs libtorch's static destructors, and a thread still inside libtorch (a
 * backward pass takes seconds) then dies with SIGSEGV and leaves an {@code hs_err} file. So the shutdown hook
 * asks the loops that spend their time in native code to stop: each calls {@link #between(Supplier)} between
 * two steps, which after a stop request parks the thread there, outside native code, and the exit goes on.
 * The hook waits for that only while such loops run ({@link #enter()}), for all of them (Spark's tasks tag on
 * several threads at once), and at most {@code patience}.
 */
public final class ExitGate {
    /** The gate of this process, the one the shutdown hook opens. */
    public static final ExitGate PROCESS = new ExitGate(Duration.ofSeconds(30));

    private final Duration patience;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger parked = new AtomicInteger();
    private volatile boolean stopping;
    private volatile String stoppedAt;

    ExitGate(Duration patience) {
        this.patience = patience;
    }

    /** Installs the shutdown hook that stops {@link #PROCESS}'s loops, reporting on {@code err}. */
    public static void installShutdownHook(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (PROCESS.stop()) {
                err.println(System.lineSeparator() + "xner: stopped " + PROCESS.stoppedAt());
                err.flush();
            }
        }, "xner-exit-gate"));
    }

    /** Marks a loop of native steps as running until the scope closes; loops may nest. */
    public Scope enter() {
        running.incrementAndGet();
        return running::decrementAndGet;
    }

    /**
     * Called between two native steps: returns at once, unless the process is exiting; then parks this
     * thread for good, so that the exit does not pull libtorch from under it.
     *
     * @param where what was done and how to go on, for the message (e.g. "at step 120 of epoch 2; ...")
     */
    public void between(Supplier<String> where) {
        if (!stopping) return;
        stoppedAt = where.get();
        parked.incrementAndGet();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the exit is under way: stay out of native code until the process is gone
            }
        }
    }

    /** Whether the process is exiting (a stop was asked): a failure now is most likely the exit's doing. */
    public boolean stopping() {
        return stopping;
    }

    /** Where the loop that parked stopped, or null. */
    String stoppedAt() {
        return stoppedAt;
    }

    /**
     * Asks the running loops to stop and waits up to the patience until each has parked or left its loop; returns
     * whether one parked (false at once when no loop runs).
     */
    boolean stop() {
        stopping = true;
        long deadline = System.nanoTime() + patience.toNanos();
        // a parked loop never leaves its scope: all are out of native code when the parked ones are all that run
        while (running.get() > parked.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return parked.get() > 0;
    }

    /** The span of a running loop. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
