package xner.infer;

/**
 * One token of a tagged text with the model's softmax probabilities over the labels.
 *
 * @param index         position in the encoding, special tokens included
 * @param token         the token string ({@code ##soft}, {@code [CLS]})
 * @param wordId        the word it belongs to ({@link xner.tokenize.Encoding#NO_WORD} for special tokens):
 *                      sub-tokens of one word share it
 * @param start         UTF-16 index into the text of its first character
 * @param end           UTF-16 index after its last character
 * @param special       whether the tokenizer added it ({@code [CLS]}, {@code [SEP]})
 * @param probabilities softmax over the model's labels, in label-id order
 */
public record TaggedToken(int index, String token, int wordId, int start, int end, boolean special,
        double[] probabilities) {
    public TaggedToken {
        if (index < 0) throw new IllegalArgumentException("negative token index " + index);
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
        if (probabilities.length == 0) throw new IllegalArgumentException("no label probabilities for token " + index);
        probabilities = probabilities.clone();
    }

    /** A token scored from raw logits: the probabilities are their softmax. */
    public static TaggedToken fromLogits(int index, String token, int wordId, int start, int end, boolean special,
            float[] logits) {
        return fromLogits(index, token, wordId, start, end, special, logits, 1);
    }

    /** A token scored from raw logits divided by a calibration {@code temperature} ({@link xner.model.BertConfig#temperature}). */
    public static TaggedToken fromLogits(int index, String token, int wordId, int start, int end, boolean special,
            float[] logits, double temperature) {
        return new TaggedToken(index, token, wordId, start, end, special, softmax(logits, temperature));
    }

    /** A copy of the probabilities. */
    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** The number of labels scored. */
    public int labelCount() {
        return probabilities.length;
    }

    /** The probability of label {@code id}. */
    public double probability(int id) {
        return probabilities[id];
    }

    /** The most probable label id; the lowest id on a tie, as numpy's {@code argmax}. */
    public int best() {
        return argmax(probabilities);
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /** Softmax with the maximum subtracted first, as transformers' postprocess does, so large logits do not overflow. */
    static double[] softmax(float[] logits) {
        return softmax(logits, 1);
    }

    static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }
}
