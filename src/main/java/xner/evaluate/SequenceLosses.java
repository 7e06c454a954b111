package xner.evaluate;

import java.util.Arrays;
import java.util.List;

/**
 * One sequence as the model saw it, with what it predicted and the cross-entropy of every token: a row of
 * the chapter's error-analysis DataFrame before it is exploded into tokens.
 *
 * <p>The constructor copies the arrays; the accessors hand out the record's own, not copies, because
 * {@link ErrorAnalysis} reads them token by token: read them, never write them. Equality, hash code and
 * {@code toString} are by the arrays' contents.
 *
 * @param tokens    the input tokens, special tokens included, padding excluded
 * @param labels    the gold label id of each token, {@link WordTags#IGNORE} where it has none (special tokens,
 *                  later sub-tokens of a word)
 * @param predicted the argmax label id of each token
 * @param losses    the cross-entropy of each token, 0 where the label is {@link WordTags#IGNORE} (PyTorch's
 *                  {@code cross_entropy(..., reduction="none")} with {@code ignore_index=-100})
 */
public record SequenceLosses(List<String> tokens, int[] labels, int[] predicted, float[] losses) {
    public SequenceLosses {
        tokens = List.copyOf(tokens);
        if (labels.length != tokens.size() || predicted.length != tokens.size() || losses.length != tokens.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + labels.length + " labels, "
                    + predicted.length + " predictions and " + losses.length + " losses");
        }
        labels = labels.clone();
        predicted = predicted.clone();
        losses = losses.clone();
    }

    /** The sum of the token losses (the chapter's {@code total_loss}). */
    public double totalLoss() {
        double sum = 0;
        for (float loss : losses) sum += loss;
        return sum;
    }

    public boolean contains(String token) {
        return tokens.contains(token);
    }

    public int size() {
        return tokens.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceLosses s && tokens.equals(s.tokens) && Arrays.equals(labels, s.labels)
                && Arrays.equals(predicted, s.predicted) && Arrays.equals(losses, s.losses);
    }

    @Override
    public int hashCode() {
        int h = tokens.hashCode();
        h = 31 * h + Arrays.hashCode(labels);
        h = 31 * h + Arrays.hashCode(predicted);
        return 31 * h + Arrays.hashCode(losses);
    }

    @Override
    public String toString() {
        return "SequenceLosses[tokens=" + tokens + ", labels=" + Arrays.toString(labels) + ", predicted="
                + Arrays.toString(predicted) + ", losses=" + Arrays.toString(losses) + "]";
    }
}
