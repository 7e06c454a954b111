package xner.infer;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import xner.tokenize.Batch;

/**
 * Times the tagging pipeline: real sentences through the whole pipeline (tokenize → forward → softmax →
 * aggregate), or random ids of one shape through the model alone, as the plain-PyTorch reference
 * ({@code pytorch_bert_bench.py infer BATCH LENGTH}) times its forward pass and argmax.
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {}

    /**
     * What a timed run did.
     *
     * @param batchSize     sentences (or rows) per forward pass
     * @param sentences     sentences (or rows) tagged while timed
     * @param tokens        their tokens, special tokens included
     * @param computed      the tokens the model computed, padding included
     * @param calls         pipeline calls (or forward passes) timed
     * @param seconds       wall-clock time of the timed calls
     * @param medianCallMs  the median time of one call
     * @param p99CallMs     the 99th percentile of one call's time (nearest rank)
     */
    public record Result(int batchSize, long sentences, long tokens, long computed, int calls, double seconds, double medianCallMs,
            double p99CallMs) {
        public double sentencesPerSecond() {
            return sentences / seconds;
        }

        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /**
     * Tags {@code sentences} (pre-split words, as PAN-X gives them), {@code chunk} sentences a pipeline call in
     * the order given, {@code batchSize} windows a forward pass, after {@code warmupCalls} untimed calls taken
     * from the start. With {@code chunk == batchSize} every call is one forward pass, as a caller tagging
     * sentences as they come; a larger chunk lets the pipeline sort sentences by length first, as the file
     * tagger does, and pad less.
     */
    public static Result sentences(TagPipeline pipeline, List<List<String>> sentences, int batchSize, int chunk, int warmupCalls) {
        if (batchSize < 1 || chunk < 1) throw new IllegalArgumentException("batch and chunk must be >= 1, were " + batchSize + ", " + chunk);
        for (int w = 0; w < warmupCalls; w++) {
            int from = (w * chunk) % Math.max(1, sentences.size());
            pipeline.tagWordsBatch(sentences.subList(from, Math.min(sentences.size(), from + chunk)), batchSize);
        }
        int calls = (sentences.size() + chunk - 1) / chunk;
        double[] millis = new double[calls];
        long tokens = 0;
        long computed = 0;
        long started = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            List<List<String>> part = sentences.subList(c * chunk, Math.min(sentences.size(), (c + 1) * chunk));
            long t = System.nanoTime();
            List<Tagged> tagged = pipeline.tagWordsBatch(part, batchSize);
            for (Tagged one : tagged) one.predict(Aggregation.FIRST); // the answer a caller asks for is part of the cost
            millis[c] = (System.nanoTime() - t) / 1e6;
            int[] lengths = new int[tagged.size()];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = tagged.get(i).tokens().size();
                tokens += lengths[i];
            }
            computed += paddedTokens(lengths, batchSize);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(batchSize, sentences.size(), tokens, computed, calls, seconds, median(millis), percentile(millis, 0.99));
    }

    /**
     * Tokens computed when rows of these lengths are sorted and run {@code batchSize} at a time, each padded to
     * the longest of its batch, as the pipeline does with sentences shorter than a window.
     */
    static long paddedTokens(int[] lengths, int batchSize) {
        long total = 0;
        for (int[] pass : Batch.passes(lengths, batchSize, Integer.MAX_VALUE)) {
            int longest = 0;
            for (int p : pass) longest = Math.max(longest, lengths[p]);
            total += (long) longest * pass.length;
        }
        return total;
    }

    /**
     * The model's forward pass and argmax on random ids of shape ({@code batchSize}, {@code length}), without
     * padding, {@code steps} times after {@code warmup} untimed passes: the reference benchmark's measure.
     */
    public static Result fixedShape(TagPipeline pipeline, int batchSize, int length, int steps, int warmup, long seed) {
        if (batchSize < 1 || length < 2 || steps < 1) {
            throw new IllegalArgumentException("need batch >= 1, length >= 2, steps >= 1; got " + batchSize + ", " + length + ", " + steps);
        }
        int vocab = pipeline.classifier().config().vocabSize();
        int labels = pipeline.labels().size();
        Random random = new Random(seed);
        long[] ids = new long[batchSize * length];
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        double[] millis = new double[steps];
        double total = 0;
        for (int i = 0; i < warmup + steps; i++) {
            for (int k = 0; k < ids.length; k++) ids[k] = random.nextInt(vocab);
            long t = System.nanoTime();
            argmax(pipeline.classifier().logits(batchSize, length, ids, mask), labels); // as the reference's .argmax(-1).tolist()
            double ms = (System.nanoTime() - t) / 1e6;
            if (i >= warmup) {
                millis[i - warmup] = ms;
                total += ms;
            }
        }
        long rows = (long) batchSize * steps;
        return new Result(batchSize, rows, rows * length, rows * length, steps, total / 1000, median(millis), percentile(millis, 0.99));
    }

    /** The label of highest logit per token: logits (tokens, labels) row-major → (tokens). */
    static int[] argmax(float[] logits, int labels) {
        int[] best = new int[logits.length / labels];
        for (int t = 0; t < best.length; t++) {
            for (int k = 1; k < labels; k++) if (logits[t * labels + k] > logits[t * labels + best[t]]) best[t] = k;
        }
        return best;
    }

    /** The nearest-rank percentile {@code q} of {@code values}; 0 for none. */
    static double percentile(double[] values, double q) {
        if (values.length == 0) return 0;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double median(double[] values) {
        if (values.length == 0) return 0;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
