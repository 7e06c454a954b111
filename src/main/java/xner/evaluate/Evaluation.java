package xner.evaluate;

import xner.tokenize.Example;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import xner.model.LogitsModel;

/**
 * What a token classifier (on either runtime) scores on labelled examples: the mean cross-entropy over labelled
 * tokens, the predicted label id of every token, and the entity-level scores of the word tags; a view of one
 * {@link ScoredTokens} pass. {@code predicted}'s arrays are copied in and out, and compared by content.
 *
 * @param loss       mean cross-entropy over all labelled tokens of the set
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

    /** The scores of {@code model} on {@code examples}: {@link ScoredTokens#run} and its {@link ScoredTokens#evaluation()}. */
    public static Evaluation run(LogitsModel model, List<Example> examples, int batchSize, int padId) {
        return ScoredTokens.run(model, examples, batchSize, padId).evaluation();
    }
}
