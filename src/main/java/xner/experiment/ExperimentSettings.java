package xner.experiment;

import java.util.List;
import xner.train.TrainingConfig;

/**
 * The sizes of the Swiss PAN-X experiment: the training recipe, the epochs of the ordinary and of the
 * learning-curve sub-runs, the curve's training sizes, and caps on the sentences of each split (0 = all).
 * {@link #chapter()} is the chapter's; {@link #quickRun()} a fast look (see there).
 *
 * @param training      the recipe (seed 42; its epochs are replaced by {@code epochs} or {@code curveEpochs})
 * @param curveSizes    French training sentences of each learning-curve sub-run, ascending
 * @param maxTrain      at most this many training sentences per sub-run (0 = all)
 * @param maxValidation at most this many validation sentences per language (0 = all)
 * @param maxTest       at most this many test sentences per language (0 = all)
 */
public record ExperimentSettings(TrainingConfig training, int epochs, int curveEpochs, List<Integer> curveSizes,
                                 int maxTrain, int maxValidation, int maxTest, boolean quick) {
    /** The chapter's learning-curve sizes. */
    public static final List<Integer> CHAPTER_CURVE = List.of(250, 500, 1000, 2000, 4000);

    public ExperimentSettings {
        curveSizes = List.copyOf(curveSizes);
        if (epochs <= 0 || curveEpochs <= 0) throw new IllegalArgumentException("epochs must be > 0");
        if (maxTrain < 0 || maxValidation < 0 || maxTest < 0) throw new IllegalArgumentException("caps must be >= 0");
        for (int i = 0; i < curveSizes.size(); i++) {
            if (curveSizes.get(i) <= 0 || i > 0 && curveSizes.get(i) <= curveSizes.get(i - 1)) {
                throw new IllegalArgumentException("curve sizes must be positive and ascending: " + curveSizes);
            }
        }
    }

    /** The chapter's experiment: 3 epochs everywhere, the curve at 250…4000 sentences, whole splits. */
    public static ExperimentSettings chapter() {
        return new ExperimentSettings(TrainingConfig.chapter(), 3, 3, CHAPTER_CURVE, 0, 0, 0, false);
    }

    /**
     * A fast look at the whole pipeline: 1 epoch, at most 500 training sentences per sub-run, the curve at 250
     * and 500, at most 300 validation and 500 test sentences per language. About 25 optimiser steps per
     * sub-run instead of 150 to 2,500.
     */
    public static ExperimentSettings quickRun() {
        return new ExperimentSettings(TrainingConfig.chapter(), 1, 1, List.of(250, 500), 500, 300, 500, true);
    }

    public ExperimentSettings withEpochs(int n) {
        return new ExperimentSettings(training, n, curveEpochs, curveSizes, maxTrain, maxValidation, maxTest, quick);
    }

    public ExperimentSettings withCurveEpochs(int n) {
        return new ExperimentSettings(training, epochs, n, curveSizes, maxTrain, maxValidation, maxTest, quick);
    }

    public ExperimentSettings withCurveSizes(List<Integer> sizes) {
        return new ExperimentSettings(training, epochs, curveEpochs, sizes, maxTrain, maxValidation, maxTest, quick);
    }

    public ExperimentSettings withTraining(TrainingConfig config) {
        return new ExperimentSettings(config, epochs, curveEpochs, curveSizes, maxTrain, maxValidation, maxTest, quick);
    }

    public ExperimentSettings withCaps(int train, int validation, int test) {
        return new ExperimentSettings(training, epochs, curveEpochs, curveSizes, train, validation, test, quick);
    }
}
