package xner.train;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
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
 */
public record Evaluation(double loss, List<int[]> predicted, WordTags words, EntityScores scores) {
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
        return "Evaluation[loss=" + loss + ", predicted=" + predicted.stream().map(Arrays::toString).toList()
                + ", words=" + words + ", scores=" + scores + "]";
    }

    /**
     * Runs {@code model} over {@code examples} in batches of similar length (padding changes no logit of a
     * real token: the attention mask hides it). Every word keeps its gold tag as the data holds it; words without a
     * sub-token (cut off by the maximum length, or nothing to the tokenizer) are scored as predicted {@code O}
     * ({@link WordTags#ofWords}).
     */
    public static Evaluation run(LogitsModel model, List<Example> examples, int batchSize, int padId) {
        int[][] predicted = new int[examples.size()][];
        double[] lossSum = {0};
        long[] labelled = {0};
        int labelCount = model.labels().size();
        Batch.inLengthOrder(examples, batchSize, padId, (batch, positions) -> {
            float[] logits = model.logits(batch.size(), batch.length(), batch.ids(), batch.mask()); // (batch, length, labels)
            long[] labels = batch.labels();
            for (int row = 0; row < batch.size(); row++) {
                int[] p = new int[batch.examples().get(row).length()];
                for (int t = 0; t < p.length; t++) {
                    int token = row * batch.length() + t;
                    p[t] = argmax(logits, token * labelCount, labelCount);
                    if (labels[token] >= 0) {
                        lossSum[0] -= logSoftmax(logits, token * labelCount, labelCount, (int) labels[token]);
                        labelled[0]++;
                    }
                }
                predicted[positions[row]] = p;
            }
        });
        int[][] wordOfToken = examples.stream().map(Example::words).toArray(int[][]::new);
        WordTags words = WordTags.ofWords(predicted, wordOfToken, examples.stream().map(e -> e.sentence().tags()).toList(),
                model.labels());
        return new Evaluation(labelled[0] == 0 ? 0 : lossSum[0] / labelled[0], List.of(predicted), words, words.score());
    }

    /** The index of the largest of {@code count} logits from {@code from} (the first of equals, as argmax). */
    private static int argmax(float[] logits, int from, int count) {
        int best = 0;
        for (int k = 1; k < count; k++) if (logits[from + k] > logits[from + best]) best = k;
        return best;
    }

    /** log softmax(logits[from, from + count))[label], in double, shifted by the maximum for stability. */
    private static double logSoftmax(float[] logits, int from, int count, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < count; k++) max = Math.max(max, logits[from + k]);
        double sum = 0;
        for (int k = 0; k < count; k++) sum += Math.exp(logits[from + k] - max);
        return logits[from + label] - max - Math.log(sum);
    }
}
