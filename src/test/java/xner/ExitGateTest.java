package xner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exit gate on its own instances (never the process's): who waits, who parks, for how long. */
class ExitGateTest {
    @Test
    void withNoLoopRunningTheExitGoesOnAtOnce() {
        ExitGate gate = new ExitGate(Duration.ofMinutes(1));
        try (ExitGate.Scope loop = gate.enter()) {
            gate.between(() -> "never asked");
        }
        long started = System.nanoTime();
        assertFalse(gate.stop());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aRunningLoopParksAtItsNextStepAndSaysWhere() throws InterruptedException {
        ExitGate gate = new ExitGate(Duration.ofSeconds(30));
        AtomicInteger steps = new AtomicInteger();
        Thread loop = new Thread(() -> {
            try (ExitGate.Scope scope = gate.enter()) {
                while (true) {
                    int done = steps.get();
                    gate.between(() -> "at step " + done);
                    steps.incrementAndGet();
                    sleep(5);
                }
            }
        }, "loop");
        loop.setDaemon(true); // parked for good, as in a process that exits
        loop.start();
        while (steps.get() < 3) sleep(5);

        assertTrue(gate.stop(), "the loop parked in time");
        int parkedAt = steps.get();
        sleep(50);
        assertEquals(parkedAt, steps.get(), "no step after the stop");
        assertTrue(loop.isAlive());
        assertTrue(gate.stoppedAt().startsWith("at step "), gate.stoppedAt());
        assertEquals("at step " + parkedAt, gate.stoppedAt());
    }

    @Test
    void theExitWaitsForEveryRunningLoopToParkOrLeaveNotJustTheFirst() throws InterruptedException {
        ExitGate gate = new ExitGate(Duration.ofSeconds(30));
        AtomicInteger fastSteps = new AtomicInteger();
        AtomicInteger slowSteps = new AtomicInteger();
        Thread fast = loop(gate, fastSteps, 1, "fast");
        Thread slow = loop(gate, slowSteps, 300, "slow"); // a longer step, as another task's forward pass
        Thread leaving = new Thread(() -> {
            try (ExitGate.Scope scope = gate.enter()) {
                sleep(200); // inside native code, then out of the loop for good (a cancelled task)
            }
        }, "leaving");
        leaving.start();
        while (fastSteps.get() < 3 || slowSteps.get() < 1) sleep(5);

        long started = System.nanoTime();
        assertTrue(gate.stop());
        int fastAt = fastSteps.get();
        int slowAt = slowSteps.get();
        sleep(400);
        assertEquals(fastAt, fastSteps.get(), "the fast loop parked");
        assertEquals(slowAt, slowSteps.get(), "the slow loop parked too: stop returned only after its step ended");
        assertFalse(leaving.isAlive(), "the loop that left is not waited for by parking");
        assertTrue(fast.isAlive() && slow.isAlive());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
    }

    private static Thread loop(ExitGate gate, AtomicInteger steps, long stepMillis, String name) {
        Thread loop = new Thread(() -> {
            try (ExitGate.Scope scope = gate.enter()) {
                while (true) {
                    gate.between(() -> name + " at step " + steps.get());
                    sleep(stepMillis);
                    steps.incrementAndGet();
                }
            }
        }, name);
        loop.setDaemon(true);
        loop.start();
        return loop;
    }

    @Test
    void aLoopThatNeverReachesAStepBoundaryIsWaitedForOnlyThePatience() {
        ExitGate gate = new ExitGate(Duration.ofMillis(100));
        try (ExitGate.Scope busy = gate.enter()) { // a step that takes longer than the patience
            long started = System.nanoTime();
            assertFalse(gate.stop());
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(100).toNanos());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
