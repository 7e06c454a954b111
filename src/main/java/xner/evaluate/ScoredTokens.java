package xner.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import xner.data.LabelSet;
import xner.model.LogitsModel;
import xner.tokenize.Batch;
import xner.tokenize.Example;

/**
 * A token classifier run once over labelled examples, without gradients and on either runtime ({@link LogitsModel}:
 * libtorch or ONNX Runtime): for every token its predicted label (the argmax), that label's probability at the
 * model's temperature, and its cross-entropy against the gold label (0 where it has none), as PyTorch's
 * {@code cross_entropy(..., reduction="none", ignore_index=-100)}; and the logits of every labelled token. The
 * scores of a split ({@link #evaluation()}), the chapter's error analysis ({@link #sequenceLosses}) and the fitting
 * of a temperature ({@link #wordLogits()}) are views of this one pass.
 *
 * <pre>
 *   ScoredTokens pass = ScoredTokens.run(model, examples, 64, tokenizer.padId());
 *   Evaluation scores = pass.evaluation();                       // loss, F1, calibration error
 *   ErrorAnalysis errors = new ErrorAnalysis(pass.sequenceLosses(tokenizer::idToToken), model.labels());
 * </pre>
 */
public final class ScoredTokens {
    /**
     * One example's tokens as the model scored them.
     *
     * @param predicted  the argmax label id of each token
     * @param confidence the predicted label's probability at the model's temperature
     * @param losses     the cross-entropy of each token at temperature 1, 0 where the label is {@link WordTags#IGNORE}
     * @param logits     each token's label logits where it has a label, else null
     */
    private record Sequence(int[] predicted, float[] confidence, float[] losses, float[][] logits) {}

    private final List<Example> examples;
    private final List<Sequence> sequences;
    private final LabelSet labels;

    private ScoredTokens(List<Example> examples, List<Sequence> sequences, LabelSet labels) {
        this.examples = examples;
        this.sequences = sequences;
        this.labels = labels;
    }

    /**
     * Runs {@code model} over {@code examples} in batches of similar length (padding changes no logit of a real token:
     * the attention mask hides it).
     */
    public static ScoredTokens run(LogitsModel model, List<Example> examples, int batchSize, int padId) {
        Sequence[] out = new Sequence[examples.size()];
        int labelCount = model.labels().size();
        double temperature = model.config().temperature();
        Batch.inLengthOrder(examples, batchSize, padId, (batch, positions) -> {
            float[] logits = model.logits(batch.size(), batch.length(), batch.ids(), batch.mask()); // (batch, length, labels)
            long[] gold = batch.labels();
            for (int row = 0; row < batch.size(); row++) {
                int length = batch.examples().get(row).length();
                int[] predicted = new int[length];
                float[] confidence = new float[length];
                float[] losses = new float[length];
                float[][] labelled = new float[length][];
                for (int t = 0; t < length; t++) {
                    int token = row * batch.length() + t;
                    int from = token * labelCount;
                    predicted[t] = argmax(logits, from, labelCount);
                    confidence[t] = (float) Math.exp(logSoftmax(logits, from, labelCount, predicted[t], temperature));
                    if (gold[token] >= 0) {
                        losses[t] = (float) -logSoftmax(logits, from, labelCount, (int) gold[token], 1);
                        labelled[t] = Arrays.copyOfRange(logits, from, from + labelCount);
                    }
                }
                out[positions[row]] = new Sequence(predicted, confidence, losses, labelled);
            }
        });
        return new ScoredTokens(List.copyOf(examples), List.of(out), model.labels());
    }

    /**
     * The split's scores: the mean cross-entropy over labelled tokens, each token's prediction, seqeval's entity scores
     * of the word tags and the calibration error of the entities' scores. Every word keeps its gold tag as the data
     * holds it; words without a sub-token (cut off by the maximum length, or nothing to the tokenizer) are scored as
     * predicted {@code O} ({@link WordTags#ofWords}).
     */
    public Evaluation evaluation() {
        double lossSum = 0;
        long labelled = 0;
        for (int i = 0; i < examples.size(); i++) {
            int[] gold = examples.get(i).labels();
            for (int t = 0; t < gold.length; t++) {
                if (gold[t] != WordTags.IGNORE) {
                    lossSum += sequences.get(i).losses()[t];
                    labelled++;
                }
            }
        }
        WordTags words = words();
        List<double[]> wordScores = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            double[] w = new double[examples.get(i).sentence().size()];
            Arrays.fill(w, 1); // a word without a sub-token is predicted O, in no entity
            int[] wordOfToken = examples.get(i).words();
            for (int t = 0; t < wordOfToken.length; t++) if (wordOfToken[t] >= 0) w[wordOfToken[t]] = sequences.get(i).confidence()[t];
            wordScores.add(w);
        }
        double ece = Calibration.expectedCalibrationError(Calibration.entities(words, wordScores), Calibration.BINS);
        return new Evaluation(labelled == 0 ? 0 : lossSum / labelled, sequences.stream().map(Sequence::predicted).toList(), words,
                words.score(), ece);
    }

    /**
     * Every sequence with its tokens' strings ({@code tokenOf}: the tokenizer's {@code idToToken}), gold labels,
     * predictions and losses: what the error analysis reads.
     */
    public List<SequenceLosses> sequenceLosses(IntFunction<String> tokenOf) {
        List<SequenceLosses> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            List<String> tokens = new ArrayList<>(e.length());
            for (int id : e.ids()) tokens.add(tokenOf.apply(id));
            out.add(new SequenceLosses(tokens, e.labels(), sequences.get(i).predicted(), sequences.get(i).losses()));
        }
        return out;
    }

    /** Every word's logits (at its first sub-token) with the word tags: what a calibration temperature is fitted on. */
    public Calibration.WordLogits wordLogits() {
        List<float[][]> perSentence = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            float[][] words = new float[examples.get(i).sentence().size()][];
            int[] wordOfToken = examples.get(i).words();
            float[][] logits = sequences.get(i).logits();
            for (int t = 0; t < wordOfToken.length; t++) if (logits[t] != null && wordOfToken[t] >= 0) words[wordOfToken[t]] = logits[t];
            perSentence.add(words);
        }
        return new Calibration.WordLogits(words(), perSentence, labels);
    }

    private WordTags words() {
        int[][] predicted = sequences.stream().map(Sequence::predicted).toArray(int[][]::new);
        int[][] wordOfToken = examples.stream().map(Example::words).toArray(int[][]::new);
        return WordTags.ofWords(predicted, wordOfToken, examples.stream().map(e -> e.sentence().tags()).toList(), labels);
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
