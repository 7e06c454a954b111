package xner.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.tokenize.Batch;
import xner.tokenize.Padded;

/**
 * Times the real training step ({@link TrainingStep}: forward, backward, clipping, AdamW) on batches of real
 * sentences, to set beside {@code shared/bench/pytorch_bert_bench.py train B T} run on the same machine.
 *
 * @param batches      the batches timed, after the warm-up ones
 * @param stepMillis   wall time of each timed step
 * @param tokens       padded tokens computed per timed step (batch × length)
 * @param peakRss      the process's peak resident memory ({@code VmHWM}), or "unknown"
 * @param profile      where the timed steps' time went, phase by phase
 */
public record TrainBenchmark(int batches, double[] stepMillis, long[] tokens, String peakRss, StepProfile profile) {
    // -Dxner.operatorTrace=FILE: libtorch's own profiler over the timed steps, a Chrome trace of every operator
    // (what torch.profiler shows for PyTorch), to compare the two op by op
    private static final String OPERATOR_TRACE = System.getProperty("xner.operatorTrace");

    /**
     * Runs {@code warmup} untimed steps, then times the rest of {@code batches}, phase by phase; a batch that would not
     * fit {@code memory} goes through in micro-batches, as in training.
     */
    public static TrainBenchmark run(TokenClassifier model, TrainingConfig config, List<Batch> batches, int warmup,
            TrainingMemory memory) {
        TrainingStep step = TrainingStep.fresh(model, config, memory);
        StepProfile profile = StepProfile.recording();
        List<Double> millis = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            if (i == warmup) {
                profile.reset();
                if (OPERATOR_TRACE != null) operatorTrace("startProfile", false, true, false);
            }
            long started = System.nanoTime();
            step.run(b, config.learningRate(), i + 1, profile);
            double ms = (System.nanoTime() - started) / 1e6;
            if (i < warmup) continue;
            millis.add(ms);
            tokens.add((long) b.size() * b.length());
        }
        if (OPERATOR_TRACE != null && batches.size() > warmup) operatorTrace("stopProfile", OPERATOR_TRACE);
        return new TrainBenchmark(millis.size(), millis.stream().mapToDouble(Double::doubleValue).toArray(),
                tokens.stream().mapToLong(Long::longValue).toArray(), currentPeakRss(), profile);
    }

    // DJL's PyTorch engine is a runtime dependency (an ONNX-only deployment drops it): reach its profiler by name
    private static void operatorTrace(String method, Object... args) {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            for (var m : jni.getMethods()) {
                if (m.getName().equals(method)) {
                    m.invoke(null, args);
                    return;
                }
            }
            throw new IllegalStateException("DJL's JniUtils has no " + method);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("libtorch's profiler: " + e, e);
        }
    }

    /**
     * Floating-point operations of a forward pass per token of a batch padded to {@code length}: two per
     * weight of every matrix product (attention's four projections, the feed-forward pair, the classifier),
     * plus the attention scores and their weighted sum (4·length·hidden a layer). A backward pass costs
     * twice this (gradients of inputs and of weights); with the word embeddings that makes about 0.51
     * GFLOP per trained token at BERT-base size.
     */
    public static double forwardFlopsPerToken(BertConfig c, int labels, int length) {
        double h = c.hiddenSize();
        double perLayer = 4 * h * h + 2 * h * c.intermediateSize();
        return 2 * (c.numHiddenLayers() * perLayer + h * labels) + c.numHiddenLayers() * 4.0 * length * h;
    }

    public double meanMillis() {
        return Arrays.stream(stepMillis).average().orElse(Double.NaN);
    }

    public double medianMillis() {
        double[] sorted = stepMillis.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    /** Padded tokens per second over the timed steps. */
    public double tokensPerSecond() {
        return Arrays.stream(tokens).sum() / (Arrays.stream(stepMillis).sum() / 1000);
    }

    static String currentPeakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
