package xner.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a command that serves until stopped ({@code serve}, {@code annotate}) stops: SIGTERM and Ctrl-C run its
 * {@code stop} on a thread of its own and the command returns, exit 0 (left to the JVM, a signal exits 143); any other
 * exit of the JVM runs the same stop from a shutdown hook, which then waits (at most 10 s) until the command says it
 * has closed what it had open, because the exit must not unload native code under a model still in use.
 *
 * <pre>
 *   StopSignals signals = StopSignals.install("xner-serve", server::close);
 *   try { server.join(); } finally { signals.close(); }   // the hook removed
 *   ... close the model ...                               // a second Ctrl-C now changes nothing
 *   signals.finished();                                   // handlers put back; the hook's wait, if it runs, ends
 * </pre>
 */
final class StopSignals implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new HashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private StopSignals(String name, Runnable stop) {
        hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-exit");
        for (String signal : List.of("TERM", "INT")) {
            Signal s = new Signal(signal);
            previous.put(s, Signal.handle(s, x -> new Thread(stop, name + "-stop").start()));
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Routes SIGTERM, Ctrl-C and the JVM's exit to {@code stop} (which may run more than once). */
    static StopSignals install(String name, Runnable stop) {
        return new StopSignals(name, stop);
    }

    /** Removes the hook: the command stops of itself from here on (a signal still runs stop, a no-op by then). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook has run stop and waits for finished()
        }
    }

    /**
     * Says the command has closed what it had open: a hook that waits for it goes on with the exit, and the handlers
     * there were before are put back (a test runs commands inside its own JVM).
     */
    void finished() {
        finished.countDown();
        previous.forEach(Signal::handle);
    }
}
