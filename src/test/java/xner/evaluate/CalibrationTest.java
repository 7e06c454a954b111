package xner.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xner.data.LabelSet;

class CalibrationTest {
    /**
     * Labels drawn from softmax(z), logits reported as 3z (an over-confident model): the fitted temperature is 3, and the
     * likelihood is best there.
     */
    @Test
    void theFittedTemperatureUndoesAKnownOverConfidence() {
        Random random = new Random(7);
        List<float[]> logits = new ArrayList<>();
        int n = 20_000;
        int[] gold = new int[n];
        for (int i = 0; i < n; i++) {
            double[] z = new double[5];
            double sum = 0;
            for (int k = 0; k < 5; k++) sum += z[k] = Math.exp(random.nextGaussian() * 2);
            double u = random.nextDouble() * sum;
            int label = 0;
            for (double acc = z[0]; acc < u && label < 4; acc += z[++label]) { }
            float[] row = new float[5];
            for (int k = 0; k < 5; k++) row[k] = (float) (3 * Math.log(z[k]));
            logits.add(row);
            gold[i] = label;
        }
        double t = Calibration.fitTemperature(logits, gold);
        assertEquals(3.0, t, 0.15);
        double best = Calibration.negativeLogLikelihood(logits, gold, t);
        assertTrue(best < Calibration.negativeLogLikelihood(logits, gold, 1));
        assertTrue(best <= Calibration.negativeLogLikelihood(logits, gold, t * 1.05));
        assertTrue(best <= Calibration.negativeLogLikelihood(logits, gold, t / 1.05));
    }

    @Test
    void eceIsTheCountWeightedGapBetweenAccuracyAndScorePerBin() {
        List<Calibration.ScoredEntity> entities = List.of(
                new Calibration.ScoredEntity(0.95, true), new Calibration.ScoredEntity(0.95, false), // bin 9: accuracy 0.5, score 0.95
                new Calibration.ScoredEntity(0.55, true), new Calibration.ScoredEntity(1.0, true)); // bin 5: 1 vs 0.55; 1.0 joins bin 9
        // bin 9: three entities, accuracy 2/3, mean score 0.9667: gap 0.3; bin 5: one entity, gap 0.45
        assertEquals((3 * Math.abs(2.0 / 3 - (0.95 + 0.95 + 1.0) / 3) + 0.45) / 4, Calibration.expectedCalibrationError(entities, 10), 1e-12);
        assertEquals(0, Calibration.expectedCalibrationError(List.of(), 10));
    }

    @Test
    void anEntityScoresTheMeanOfItsWordsAndIsCorrectOnlyWithTheSameTypeAndWords() {
        WordTags words = new WordTags(List.of(List.of("B-PER", "I-PER", "O", "B-LOC")), List.of(List.of("B-PER", "I-PER", "O", "B-ORG")));
        List<Calibration.ScoredEntity> e = Calibration.entities(words, List.of(new double[] {0.9, 0.7, 0.99, 0.6}));
        assertEquals(2, e.size());
        assertEquals(0.8, e.get(0).score(), 1e-12);
        assertTrue(e.get(0).correct());
        assertEquals(0.6, e.get(1).score(), 1e-12);
        assertTrue(!e.get(1).correct(), "ORG where gold has LOC");
    }

    @Test
    void wordLogitsScoreEntitiesAtAnyTemperature() {
        WordTags words = new WordTags(List.of(List.of("B-PER", "O")), List.of(List.of("B-PER", "O")));
        float[][] logits = {{0, 4, 0, 0, 0, 0, 0}, null}; // "Jeff" sure of B-PER; the second word has no sub-token
        Calibration.WordLogits w = new Calibration.WordLogits(words, List.<float[][]>of(logits), LabelSet.PANX);
        double p1 = Calibration.probability(logits[0], 1, 1);
        assertEquals(1 - p1, w.calibrationError(1), 1e-9, "one right entity scored p1");
        assertTrue(w.calibrationError(100) > w.calibrationError(1), "a hot softmax scores it near 1/7");
        assertTrue(w.fitTemperature() < 1, "always right: the fit sharpens the scores");
    }

    /**
     * One-word entities right with probability softmax(z)[predicted], their logits reported as 3z: the entity fit finds
     * the temperature 3 back, and its scores are better calibrated there than at 1.
     */
    @Test
    void theEntityFitFindsTheTemperatureAtWhichEntityScoresAreTrue() {
        Random random = new Random(11);
        List<List<String>> gold = new ArrayList<>();
        List<List<String>> predicted = new ArrayList<>();
        List<float[][]> logits = new ArrayList<>();
        while (logits.size() < 20_000) {
            double[] z = new double[LabelSet.PANX.size()];
            double sum = 0;
            int top = 0;
            for (int k = 0; k < z.length; k++) {
                sum += z[k] = Math.exp(random.nextGaussian() * 1.5);
                if (z[k] > z[top]) top = k;
            }
            if (top == 0) continue; // O: no entity
            float[] row = new float[z.length];
            for (int k = 0; k < z.length; k++) row[k] = (float) (3 * Math.log(z[k]));
            String tag = LabelSet.PANX.names().get(top);
            predicted.add(List.of(tag));
            gold.add(List.of(random.nextDouble() < z[top] / sum ? tag : "O"));
            logits.add(new float[][] {row});
        }
        Calibration.WordLogits w = new Calibration.WordLogits(new WordTags(gold, predicted), logits, LabelSet.PANX);
        double t = w.fitEntityTemperature();
        assertEquals(3.0, t, 0.25);
        assertTrue(w.calibrationError(t) < 0.02, "ECE at the fit " + w.calibrationError(t));
        assertTrue(w.calibrationError(1) > 0.1, "ECE of the over-confident scores " + w.calibrationError(1));
    }
}
