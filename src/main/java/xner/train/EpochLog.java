package xner.train;

/**
 * One row of the per-epoch table, as the chapter's Trainer prints it.
 *
 * @param epoch          1-based
 * @param step           optimiser steps done at the end of the epoch
 * @param trainingLoss   mean of the epoch's batch losses
 * @param validationLoss mean cross-entropy over the validation set's labelled tokens
 * @param seconds        wall time of the epoch's training steps (evaluation excluded)
 * @param trainingGflop  the arithmetic of those steps in GFLOP, counted on padded tokens (forward, and backward as
 *                       twice the forward: {@link TrainBenchmark#forwardFlopsPerToken}); 0 in logs written before
 *                       it was recorded
 */
public record EpochLog(int epoch, int step, double trainingLoss, double validationLoss, double precision,
                       double recall, double f1, double seconds, double trainingGflop) {
    static final String HEADER = String.format("%5s %6s %14s %16s %9s %9s %9s %9s %8s",
            "epoch", "step", "training loss", "validation loss", "precision", "recall", "f1", "seconds", "GFLOP/s");

    /** The epoch's effective rate: its arithmetic over its training time (what the machine's sgemm peak bounds). */
    public double gflopPerSecond() {
        return seconds > 0 ? trainingGflop / seconds : Double.NaN;
    }

    String row() {
        return String.format("%5d %6d %14.4f %16.4f %9.4f %9.4f %9.4f %9.0f %8.1f",
                epoch, step, trainingLoss, validationLoss, precision, recall, f1, seconds, gflopPerSecond());
    }
}
