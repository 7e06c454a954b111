package xner.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lets Ctrl-C (or SIGTERM) stop training between two steps instead of in the middle of one.
 *
 * <p>Why: when the JVM exits it runs libtorch's static destructors, and a thread still inside libtorch (a
 * backward pass takes seconds) then dies with SIGSEGV and leaves an {@code hs_err} file. So the shutdown hook
 * asks the loops that spend their time in native code to stop: each calls {@link #between(Supplier)} between
 * two steps, which after a stop request parks the thread there, outside native code, and the exit goes on.
 * The hook waits for that only while such a loop runs ({@link #enter()}), and at most {@code patience}.
 */
public final class ExitGate {
    /** The gate of this process, the one the shutdown hook opens. */
    public static final ExitGate PROCESS = new ExitGate(Duration.ofSeconds(30));

    private final Duration patience;
    private final AtomicInteger running = new AtomicInteger();
    private final CountDownLatch parked = new CountDownLatch(1);
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
        parked.countDown();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the exit is under way: stay out of native code until the process is gone
            }
        }
    }

    /** Where the loop that parked stopped, or null. */
    String stoppedAt() {
        return stoppedAt;
    }

    /**
     * Asks the running loops to stop and waits up to the patience for one to park; returns whether one did
     * (false at once when no loop runs).
     */
    boolean stop() {
        stopping = true;
        if (running.get() == 0) return false;
        try {
            return parked.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The span of a running loop. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
