package xner.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import xner.evaluate.Calibration;
import xner.evaluate.EntityScores;
import xner.evaluate.WordTags;
import xner.model.LogitsModel;

/**
 * A token classifier (on either runtime) run over labelled examples without gradients: the mean cross-entropy over labelled
 * tokens, the predicted label id of every token, and the entity-level scores of the word tags.
 *
 * @param loss       mean cross-entropy over all labelled tokens of the set
 * <p>{@code predicted}'s arrays are copied in and out, and compared by content.
 *
 * @param predicted  the argmax label id per token, parallel to the examples
 * @param words      gold and predicted word tags (first sub-token of each word)
 * @param scores     seqeval's entity-level scores of {@code words}
 * @param calibrationError the expected calibration error of the predicted entities' scores ({@link Calibration}, 10
 *                   bins), with the model's own temperature
 */
public record Evaluation(double loss, List<int[]> predicted, WordTags words, EntityScores scores, double calibrationError) {
    public Evaluation {
        predicted = copy(predicted);
    }

    /** The argmax label id per token, parallel to the examples: a copy. */
    @Override
    public List<int[]> predicted() {
        return copy(predicted);
    }

    private static List<int[]> copy(List<int[]> rows) {
        return rows.stream().map(int[]::clone).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && Double.compare(loss, e.loss) == 0 && words.equals(e.words)
                && Double.compare(calibrationError, e.calibrationError) == 0
                && scores.equals(e.scores) && predicted.size() == e.predicted.size()
                && IntStream.range(0, predicted.size()).allMatch(i -> Arrays.equals(predicted.get(i), e.predicted.get(i)));
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(loss);
        for (int[] row : predicted) h = 31 * h + Arrays.hashCode(row);
        return 31 * (31 * h + words.hashCode()) + scores.hashCode();
    }

    @Override
    public String toString() {
        return "Evaluation[loss=" + loss + ", calibrationError=" + calibrationError + ", predicted=" + predicted.stream().map(Arrays::toString).toList()
                + ", words=" + words + ", scores=" + scores + "]";
    }

    /**
     * Runs {@code model} over {@code examples} in batches of similar length (padding changes no logit of a
     * real token: the attention mask hides it). Every word keeps its gold tag as the data holds it; words without a
     * sub-token (cut off by the maximum length, or nothing to the tokenizer) are scored as predicted {@code O}
     * ({@link WordTags#ofWords}).
     */
    public static Evaluation run(LogitsModel model, List<Example> examples, int batchSize, int padId) {
        return run(model, examples, batchSize, padId, null);
    }

    /**
     * {@link #run}, also handing every word's logits to {@code wordLogits} when given: what a calibration temperature is
     * fitted on ({@link Calibration.WordLogits}).
     */
    public static Evaluation run(LogitsModel model, List<Example> examples, int batchSize, int padId,
            java.util.function.Consumer<Calibration.WordLogits> wordLogits) {
        int[][] predicted = new int[examples.size()][];
        float[][] confidence = new float[examples.size()][]; // the predicted label's probability, per token
        double[] lossSum = {0};
        long[] labelled = {0};
        int labelCount = model.labels().size();
        double temperature = model.config().temperature();
        float[][][] logitsOfWords = new float[examples.size()][][];
        Batch.inLengthOrder(examples, batchSize, padId, (batch, positions) -> {
            float[] logits = model.logits(batch.size(), batch.length(), batch.ids(), batch.mask()); // (batch, length, labels)
            long[] labels = batch.labels();
            for (int row = 0; row < batch.size(); row++) {
                int[] p = new int[batch.examples().get(row).length()];
                float[] c = new float[p.length];
                for (int t = 0; t < p.length; t++) {
                    int token = row * batch.length() + t;
                    p[t] = argmax(logits, token * labelCount, labelCount);
                    c[t] = (float) Math.exp(logSoftmax(logits, token * labelCount, labelCount, p[t], temperature));
                    if (labels[token] >= 0) {
                        lossSum[0] -= logSoftmax(logits, token * labelCount, labelCount, (int) labels[token], 1);
                        labelled[0]++;
                        if (wordLogits != null) {
                            Example example = batch.examples().get(row);
                            if (logitsOfWords[positions[row]] == null) logitsOfWords[positions[row]] = new float[example.sentence().size()][];
                            logitsOfWords[positions[row]][example.words()[t]] = Arrays.copyOfRange(logits, token * labelCount,
                                    (token + 1) * labelCount);
                        }
                    }
                }
                predicted[positions[row]] = p;
                confidence[positions[row]] = c;
            }
        });
        int[][] wordOfToken = examples.stream().map(Example::words).toArray(int[][]::new);
        WordTags words = WordTags.ofWords(predicted, wordOfToken, examples.stream().map(e -> e.sentence().tags()).toList(),
                model.labels());
        List<double[]> wordScores = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            double[] w = new double[examples.get(i).sentence().size()];
            Arrays.fill(w, 1); // a word without a sub-token is predicted O, in no entity
            for (int t = 0; t < wordOfToken[i].length; t++) if (wordOfToken[i][t] >= 0) w[wordOfToken[i][t]] = confidence[i][t];
            wordScores.add(w);
        }
        double ece = Calibration.expectedCalibrationError(Calibration.entities(words, wordScores), Calibration.BINS);
        if (wordLogits != null) {
            List<float[][]> perSentence = new ArrayList<>(examples.size());
            for (int i = 0; i < examples.size(); i++) {
                perSentence.add(logitsOfWords[i] != null ? logitsOfWords[i] : new float[examples.get(i).sentence().size()][]);
            }
            wordLogits.accept(new Calibration.WordLogits(words, perSentence, model.labels()));
        }
        return new Evaluation(labelled[0] == 0 ? 0 : lossSum[0] / labelled[0], List.of(predicted), words, words.score(), ece);
    }

    /** The index of the largest of {@code count} logits from {@code from} (the first of equals, as argmax). */
    private static int argmax(float[] logits, int from, int count) {
        int best = 0;
        for (int k = 1; k < count; k++) if (logits[from + k] > logits[from + best]) best = k;
        return best;
    }

    /** log softmax(logits[from, from + count) / temperature)[label], in double, shifted by the maximum for stability. */
    private static double logSoftmax(float[] logits, int from, int count, int label, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < count; k++) max = Math.max(max, logits[from + k] / temperature);
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.exp(logits[from + k] / temperature - max);
        return logits[from + label] / temperature - max - Math.log(sum);
    }
}
