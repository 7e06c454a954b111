package xner.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

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
     * @param batchSize     sentences (or rows) per call
     * @param sentences     sentences (or rows) tagged while timed
     * @param tokens        their tokens, special tokens included
     * @param computed      the tokens the model computed, padding included
     * @param batches       pipeline calls (or forward passes) timed
     * @param seconds       wall-clock time of the timed calls
     * @param medianBatchMs the median time of one call
     */
    public record Result(int batchSize, long sentences, long tokens, long computed, int batches, double seconds, double medianBatchMs) {
        public double sentencesPerSecond() {
            return sentences / seconds;
        }

        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /**
     * Tags {@code sentences} (pre-split words, as PAN-X gives them) in consecutive batches of {@code batchSize},
     * in the order given, after {@code warmupBatches} untimed batches taken from the start.
     */
    public static Result sentences(TagPipeline pipeline, List<List<String>> sentences, int batchSize, int warmupBatches) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        for (int w = 0; w < warmupBatches; w++) {
            int from = (w * batchSize) % Math.max(1, sentences.size());
            pipeline.tagWordsBatch(sentences.subList(from, Math.min(sentences.size(), from + batchSize)));
        }
        int batches = (sentences.size() + batchSize - 1) / batchSize;
        double[] millis = new double[batches];
        long tokens = 0;
        long computed = 0;
        long started = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            List<List<String>> batch = sentences.subList(b * batchSize, Math.min(sentences.size(), (b + 1) * batchSize));
            long t = System.nanoTime();
            List<Tagged> tagged = pipeline.tagWordsBatch(batch);
            for (Tagged one : tagged) one.predict(Aggregation.FIRST); // the answer a caller asks for is part of the cost
            millis[b] = (System.nanoTime() - t) / 1e6;
            int longest = 0;
            for (Tagged one : tagged) {
                tokens += one.tokens().size();
                longest = Math.max(longest, one.tokens().size());
            }
            computed += (long) longest * tagged.size(); // sentences shorter than a window: one padded row each
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(batchSize, sentences.size(), tokens, computed, batches, seconds, median(millis));
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
        Random random = new Random(seed);
        long[] ids = new long[batchSize * length];
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        double[] millis = new double[steps];
        double total = 0;
        for (int i = 0; i < warmup + steps; i++) {
            for (int k = 0; k < ids.length; k++) ids[k] = random.nextInt(vocab);
            long t = System.nanoTime();
            try (NDManager call = pipeline.classifier().parameters().manager().newSubManager()) {
                Shape shape = new Shape(batchSize, length);
                NDArray logits = pipeline.classifier().logits(call, call.create(ids, shape), call.create(mask, shape), false);
                logits.argMax(-1).toLongArray(); // as the reference's .argmax(-1).tolist()
            }
            double ms = (System.nanoTime() - t) / 1e6;
            if (i >= warmup) {
                millis[i - warmup] = ms;
                total += ms;
            }
        }
        long rows = (long) batchSize * steps;
        return new Result(batchSize, rows, rows * length, rows * length, steps, total / 1000, median(millis));
    }

    private static double median(double[] values) {
        if (values.length == 0) return 0;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
