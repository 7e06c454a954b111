package xner.evaluate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a model's scores mean what they say, and the one number that makes them: temperature scaling (Guo et al.
 * 2017, "On Calibration of Modern Neural Networks"), fitted on the labelled tokens of validation data, and the
 * expected calibration error (ECE) of entity scores, the figure a review threshold or uncertainty sampling relies on.
 *
 * <pre>
 *   double t = Calibration.fitTemperature(logitRows, goldIds);            // 1.4: the model was over-confident
 *   double ece = Calibration.expectedCalibrationError(Calibration.entities(words, wordScores), 10);
 * </pre>
 */
public final class Calibration {
    /** The bins of {@link #expectedCalibrationError} when not told: ten of equal width, as Guo et al. */
    public static final int BINS = 10;
    private static final double MIN_LOG_T = Math.log(0.05);
    private static final double MAX_LOG_T = Math.log(20);

    private Calibration() {}

    /**
     * The logits of every word of a scored set (those of the sub-token that carries its label; null for a word without
     * one), beside its gold and predicted tags: enough to fit a temperature and to score entities at any temperature
     * without running the model again.
     *
     * @param words  gold and predicted tags per word
     * @param logits per sentence, per word, the label logits (null where the word has no sub-token)
     */
    public record WordLogits(WordTags words, List<float[][]> logits, xner.data.LabelSet labels) {
        /** The temperature that fits the gold tags of the words with logits best ({@link #fitTemperature}). */
        public double fitTemperature() {
            List<float[]> rows = new ArrayList<>();
            List<Integer> gold = new ArrayList<>();
            for (int i = 0; i < logits.size(); i++) {
                for (int w = 0; w < logits.get(i).length; w++) {
                    if (logits.get(i)[w] == null) continue;
                    int id = labels.indexOf(words.gold().get(i).get(w));
                    if (id < 0) continue; // a gold tag the model does not have: no likelihood to speak of
                    rows.add(logits.get(i)[w]);
                    gold.add(id);
                }
            }
            return Calibration.fitTemperature(rows, gold.stream().mapToInt(Integer::intValue).toArray());
        }

        /**
         * The temperature whose entity scores fit best whether each predicted entity is right: the one that minimises
         * the entities' log loss (a proper scoring rule, so unlike the ECE itself it rewards scores that are true, not
         * bins that happen to average out). Fitting the tokens' likelihood ({@link #fitTemperature}) calibrates each
         * word's tag; an entity's score is the mean over its words, and whether the whole span and type is right is
         * another event, so the two temperatures differ.
         */
        public double fitEntityTemperature() {
            return minimise(t -> entityLogLoss(entityScores(t)));
        }

        /** The ECE of the predicted entities' scores with the logits divided by {@code temperature}. */
        public double calibrationError(double temperature) {
            return expectedCalibrationError(entityScores(temperature), BINS);
        }

        /** The predicted entities with their scores at {@code temperature} (which entities does not depend on it). */
        public List<ScoredEntity> entityScores(double temperature) {
            List<double[]> scores = new ArrayList<>(logits.size());
            for (int i = 0; i < logits.size(); i++) {
                double[] s = new double[logits.get(i).length];
                for (int w = 0; w < s.length; w++) {
                    float[] row = logits.get(i)[w];
                    s[w] = row == null ? 1 : probability(row, labels.indexOf(words.predicted().get(i).get(w)), temperature);
                }
                scores.add(s);
            }
            return entities(words, scores);
        }
    }

    /** The mean log loss of the entities' scores as probabilities of being right (scores kept off 0 and 1). */
    static double entityLogLoss(List<ScoredEntity> entities) {
        if (entities.isEmpty()) return 0;
        double sum = 0;
        for (ScoredEntity e : entities) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, e.score()));
            sum -= e.correct() ? Math.log(p) : Math.log(1 - p);
        }
        return sum / entities.size();
    }

    /** softmax(row / temperature)[label]. */
    static double probability(float[] row, int label, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) max = Math.max(max, v / temperature);
        double z = 0;
        for (float v : row) z += Math.exp(v / temperature - max);
        return Math.exp(row[label] / temperature - max) / z;
    }

    /** A predicted entity: its score (the mean probability of its words' predicted tags) and whether gold has it. */
    public record ScoredEntity(double score, boolean correct) {}

    /**
     * The temperature T in [0.05, 20] that minimises the mean negative log-likelihood of {@code gold} under
     * softmax(logits / T): golden-section search on log T (the likelihood is unimodal in T).
     *
     * @param logits one row of label logits per labelled token
     * @param gold   the gold label id of each row
     */
    public static double fitTemperature(List<float[]> logits, int[] gold) {
        if (logits.size() != gold.length) throw new IllegalArgumentException(logits.size() + " rows but " + gold.length + " labels");
        if (logits.isEmpty()) return 1;
        return minimise(t -> negativeLogLikelihood(logits, gold, t));
    }

    /**
     * The T in [0.05, 20] that minimises {@code loss}: a grid of 64 points even in log T first (an entity loss need not
     * be unimodal over the whole range), then golden-section search between the best point's neighbours.
     */
    static double minimise(java.util.function.DoubleUnaryOperator loss) {
        int points = 64;
        double step = (MAX_LOG_T - MIN_LOG_T) / (points - 1);
        int best = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < points; i++) {
            double l = loss.applyAsDouble(Math.exp(MIN_LOG_T + i * step));
            if (l < bestLoss) {
                bestLoss = l;
                best = i;
            }
        }
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = MIN_LOG_T + Math.max(0, best - 1) * step;
        double b = MIN_LOG_T + Math.min(points - 1, best + 1) * step;
        double c = b - phi * (b - a);
        double d = a + phi * (b - a);
        double fc = loss.applyAsDouble(Math.exp(c));
        double fd = loss.applyAsDouble(Math.exp(d));
        for (int i = 0; i < 40; i++) { // two grid steps (0.19 in log T) shrunk 40 times by 0.618: far below a thousandth
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = loss.applyAsDouble(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = loss.applyAsDouble(Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }

    /** The mean negative log-likelihood of {@code gold} under softmax(logits / temperature), in double. */
    public static double negativeLogLikelihood(List<float[]> logits, int[] gold, double temperature) {
        double sum = 0;
        for (int i = 0; i < logits.size(); i++) {
            float[] row = logits.get(i);
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) max = Math.max(max, v / temperature);
            double z = 0;
            for (float v : row) z += Math.exp(v / temperature - max);
            sum -= row[gold[i]] / temperature - max - Math.log(z);
        }
        return logits.isEmpty() ? 0 : sum / logits.size();
    }

    /**
     * The predicted entities of {@code words} (as seqeval finds them) with their scores, each marked correct when gold
     * has an entity of the same type over the same words.
     *
     * @param wordScores per sentence, the probability of each word's predicted tag
     */
    public static List<ScoredEntity> entities(WordTags words, List<double[]> wordScores) {
        List<List<String>> predicted = words.predicted();
        if (wordScores.size() != predicted.size()) {
            throw new IllegalArgumentException(wordScores.size() + " score rows for " + predicted.size() + " sentences");
        }
        List<Double> flat = new ArrayList<>();
        for (int i = 0; i < predicted.size(); i++) {
            if (wordScores.get(i).length != predicted.get(i).size()) {
                throw new IllegalArgumentException("sentence " + i + ": " + wordScores.get(i).length + " scores for "
                        + predicted.get(i).size() + " words");
            }
            for (double s : wordScores.get(i)) flat.add(s);
            flat.add(1.0); // the O that EntityChunker puts after each sentence
        }
        Set<EntityChunker.Chunk> gold = new HashSet<>(EntityChunker.chunks(words.gold()));
        List<ScoredEntity> entities = new ArrayList<>();
        for (EntityChunker.Chunk chunk : EntityChunker.chunks(predicted)) {
            double sum = 0;
            for (int k = chunk.first(); k <= chunk.last(); k++) sum += flat.get(k);
            entities.add(new ScoredEntity(sum / (chunk.last() - chunk.first() + 1), gold.contains(chunk)));
        }
        return entities;
    }

    /**
     * The expected calibration error: entities binned by score into {@code bins} bins of equal width, and the mean over
     * entities of |accuracy − mean score| of their bin. 0 for perfectly calibrated scores; 0 when there is no entity.
     */
    public static double expectedCalibrationError(List<ScoredEntity> entities, int bins) {
        if (entities.isEmpty()) return 0;
        double[] scoreSum = new double[bins];
        int[] correct = new int[bins];
        int[] count = new int[bins];
        for (ScoredEntity e : entities) {
            int bin = Math.min(bins - 1, (int) (e.score() * bins)); // a score of 1 goes in the last bin
            scoreSum[bin] += e.score();
            count[bin]++;
            if (e.correct()) correct[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) continue;
            ece += Math.abs((double) correct[b] / count[b] - scoreSum[b] / count[b]) * count[b];
        }
        return ece / entities.size();
    }
}
