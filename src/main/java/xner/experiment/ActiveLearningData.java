package xner.experiment;

import xner.data.Dataset;
import xner.data.LabelSet;

/**
 * The sentences of the simulation: the pool the strategies choose from (its gold tags are the simulated annotator's
 * answers, never shown to the model before a sentence is chosen), the validation set scored after every epoch, the
 * test set every round is scored on, and the labels of the head. Each name says where its sentences came from.
 *
 * @param poolName e.g. {@code Swiss PAN-X fr train (corpus seed 0)} or a file's path
 */
public record ActiveLearningData(String poolName, Dataset pool, String validationName, Dataset validation,
                                 String testName, Dataset test, LabelSet labels) {
    public ActiveLearningData {
        if (pool.size() == 0) throw new IllegalArgumentException("the pool is empty");
        if (validation.size() == 0 || test.size() == 0) throw new IllegalArgumentException("validation and test need sentences");
    }

    /** These data with the first {@code pool}, {@code validation} and {@code test} sentences of each (0 = all). */
    public ActiveLearningData capped(int poolMax, int validationMax, int testMax) {
        return new ActiveLearningData(poolName, cap(pool, poolMax), validationName, cap(validation, validationMax), testName,
                cap(test, testMax), labels);
    }

    private static Dataset cap(Dataset data, int max) {
        return max > 0 && data.size() > max ? data.take(max) : data;
    }
}
