package xner.train;

/**
 * The learning rate at each optimiser step: linear warm-up from 0, then linear decay to 0 at the last step,
 * as transformers' {@code get_linear_schedule_with_warmup} (the Trainer's default).
 *
 * @param peak        the learning rate after warm-up (5e-5 in the chapter)
 * @param warmupSteps steps of linear warm-up (0 in the chapter)
 * @param totalSteps  optimiser steps of the whole run
 */
public record LinearSchedule(double peak, int warmupSteps, int totalSteps) {
    public LinearSchedule {
        if (peak <= 0) throw new IllegalArgumentException("learning rate must be > 0, was " + peak);
        if (warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("bad schedule: warm-up " + warmupSteps + ", total " + totalSteps);
        }
    }

    /** The rate used by optimiser step {@code step} (0-based: the first update uses step 0). */
    public double rate(int step) {
        if (step < warmupSteps) return peak * step / Math.max(1, warmupSteps);
        return peak * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
