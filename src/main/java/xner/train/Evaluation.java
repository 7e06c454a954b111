package xner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import xner.evaluate.EntityScores;
import xner.evaluate.WordTags;
import xner.model.TokenClassifier;

/**
 * A token classifier run over labelled examples without gradients: the mean cross-entropy over labelled
 * tokens, the predicted label id of every token, and the entity-level scores of the word tags.
 *
 * @param loss       mean cross-entropy over all labelled tokens of the set
 * @param predicted  the argmax label id per token, parallel to the examples
 * @param words      gold and predicted word tags (first sub-token of each word)
 * @param scores     seqeval's entity-level scores of {@code words}
 */
public record Evaluation(double loss, List<int[]> predicted, WordTags words, EntityScores scores) {
    public Evaluation {
        predicted = List.copyOf(predicted);
    }

    /**
     * Runs {@code model} over {@code examples} in batches of similar length (padding changes no logit of a
     * real token: the attention mask hides it).
     */
    public static Evaluation run(TokenClassifier model, List<Example> examples, int batchSize, int padId) {
        int n = examples.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> examples.get(i).length()));
        int[][] predicted = new int[n][];
        double lossSum = 0;
        long labelled = 0;
        int batches = (n + batchSize - 1) / batchSize;
        try (ExitGate.Scope gate = ExitGate.PROCESS.enter()) {
            for (int start = 0; start < n; start += batchSize) {
                int done = start / batchSize;
                ExitGate.PROCESS.between(() -> "while evaluating, after batch " + done + " of " + batches);
                List<Example> chunk = new ArrayList<>();
                for (int k = start; k < Math.min(n, start + batchSize); k++) chunk.add(examples.get(order[k]));
                Batch batch = Batch.collate(chunk, padId);
                try (NDManager call = model.parameters().manager().newSubManager()) {
                    Shape shape = new Shape(batch.size(), batch.length());
                    NDArray ids = call.create(batch.ids(), shape);
                    NDArray labels = call.create(batch.labels(), shape);
                    NDArray logits = model.logits(call, ids, call.create(batch.mask(), shape), false);
                    long count = java.util.Arrays.stream(batch.labels()).filter(l -> l >= 0).count();
                    lossSum += TokenClassifier.loss(logits, labels).getFloat() * count;
                    labelled += count;
                    long[] argmax = logits.argMax(-1).toLongArray();
                    for (int row = 0; row < batch.size(); row++) {
                        int[] p = new int[chunk.get(row).length()];
                        for (int t = 0; t < p.length; t++) p[t] = (int) argmax[row * batch.length() + t];
                        predicted[order[start + row]] = p;
                    }
                }
            }
        }
        int[][] gold = examples.stream().map(Example::labels).toArray(int[][]::new);
        WordTags words = WordTags.align(predicted, gold, model.labels());
        return new Evaluation(labelled == 0 ? 0 : lossSum / labelled, List.of(predicted), words, words.score());
    }
}
