package xner.train;

import java.util.EnumMap;
import java.util.Map;
import xner.tokenize.Batch;

/**
 * Wall time of a training step's phases, summed over the steps it watched. libtorch's CPU operations run
 * synchronously on the calling thread, so the time between two marks is the time of the operations issued
 * between them.
 */
public final class StepProfile {
    /** The phases of {@link TrainingStep#run}, in the order a step goes through them. */
    public enum Phase {
        /** Batch ids, mask, labels and embedding-row indices into libtorch; the loss back to Java. */
        COPIES("host<->native copies"),
        FORWARD("forward (with loss)"),
        BACKWARD("backward"),
        /** Fetching a handle on each parameter's gradient. */
        GATHER("gradient handles"),
        /** The global norm, read back to Java for the clipping scale. */
        CLIPPING("clipping"),
        /** The clipping scale, AdamW and the zeroing of the gradients, in one pass. */
        OPTIMIZER("AdamW"),
        /** Whatever else the step spent: scope closing, bookkeeping. */
        OTHER("other");

        public final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /** A profile that records nothing: the training loop's. */
    static final StepProfile NONE = new StepProfile(false);

    private final boolean recording;
    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private long last;
    private long stepStarted;
    private long totalNanos;
    private int steps;

    private StepProfile(boolean recording) {
        this.recording = recording;
        for (Phase p : Phase.values()) nanos.put(p, 0L);
    }

    public static StepProfile recording() {
        return new StepProfile(true);
    }

    void startStep() {
        if (!recording) return;
        last = System.nanoTime();
        stepStarted = last;
    }

    /** Charges the time since the last mark to {@code phase}. */
    void mark(Phase phase) {
        if (!recording) return;
        long now = System.nanoTime();
        nanos.merge(phase, now - last, Long::sum);
        last = now;
    }

    /** Ends a step: the time not charged to a phase goes to {@link Phase#OTHER}. */
    void endStep() {
        if (!recording) return;
        long now = System.nanoTime();
        long charged = 0;
        for (Phase p : Phase.values()) charged += nanos.get(p);
        long total = totalNanos + (now - stepStarted);
        nanos.merge(Phase.OTHER, total - charged, Long::sum);
        totalNanos = total;
        last = now;
        steps++;
    }

    /** Forgets what was recorded (after warm-up steps). */
    void reset() {
        for (Phase p : Phase.values()) nanos.put(p, 0L);
        totalNanos = 0;
        steps = 0;
    }

    public int steps() {
        return steps;
    }

    /** Mean milliseconds a step spent in {@code phase}. */
    public double meanMillis(Phase phase) {
        return steps == 0 ? Double.NaN : nanos.get(phase) / 1e6 / steps;
    }

    /** Mean milliseconds of a whole step. */
    public double meanStepMillis() {
        return steps == 0 ? Double.NaN : totalNanos / 1e6 / steps;
    }
}
