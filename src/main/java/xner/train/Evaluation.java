package xner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import xner.evaluate.EntityScores;
import xner.evaluate.WordTags;
import xner.model.TokenClassifier;

/**
 * A token classifier run over labelled examples without gradients: the mean cross-entropy over labelled
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
     * real token: the attention mask hides it). Words cut off by the tokenizer's maximum length are scored as
     * predicted {@code O} ({@link WordTags#withTruncatedWords}); examples must label first sub-tokens only.
     */
    public static Evaluation run(TokenClassifier model, List<Example> examples, int batchSize, int padId) {
        int[][] predicted = new int[examples.size()][];
        double[] lossSum = {0};
        long[] labelled = {0};
        Batch.inLengthOrder(examples, batchSize, padId, (batch, positions) -> {
            try (NDManager call = model.parameters().manager().newSubManager()) {
                Shape shape = new Shape(batch.size(), batch.length());
                NDArray labels = call.create(batch.labels(), shape);
                NDArray logits = model.logits(call, call.create(batch.ids(), shape), call.create(batch.mask(), shape), false);
                long count = Arrays.stream(batch.labels()).filter(l -> l >= 0).count();
                lossSum[0] += TokenClassifier.loss(logits, labels).getFloat() * count;
                labelled[0] += count;
                long[] argmax = logits.argMax(-1).toLongArray();
                for (int row = 0; row < batch.size(); row++) {
                    int[] p = new int[batch.examples().get(row).length()];
                    for (int t = 0; t < p.length; t++) p[t] = (int) argmax[row * batch.length() + t];
                    predicted[positions[row]] = p;
                }
            }
        });
        int[][] gold = examples.stream().map(Example::labels).toArray(int[][]::new);
        WordTags words = WordTags.align(predicted, gold, model.labels())
                .withTruncatedWords(examples.stream().map(e -> e.sentence().tags()).toList());
        return new Evaluation(labelled[0] == 0 ? 0 : lossSum[0] / labelled[0], List.of(predicted), words, words.score());
    }
}
