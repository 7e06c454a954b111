package xner.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xner.model.TokenClassifier;

/**
 * Times the real training step ({@link TrainingStep}: forward, backward, clipping, AdamW) on batches of real
 * sentences, to set beside {@code shared/bench/pytorch_bert_bench.py train B T} run on the same machine.
 *
 * @param batches      the batches timed, after the warm-up ones
 * @param stepMillis   wall time of each timed step
 * @param tokens       padded tokens computed per timed step (batch × length)
 * @param peakRss      the process's peak resident memory ({@code VmHWM}), or "unknown"
 */
public record TrainBenchmark(int batches, double[] stepMillis, long[] tokens, String peakRss) {
    /** Runs {@code warmup} untimed steps, then times the rest of {@code batches}. */
    public static TrainBenchmark run(TokenClassifier model, TrainingConfig config, List<Batch> batches, int warmup) {
        TrainingStep step = TrainingStep.fresh(model, config);
        List<Double> millis = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            long started = System.nanoTime();
            step.run(b, config.learningRate(), i + 1);
            double ms = (System.nanoTime() - started) / 1e6;
            if (i < warmup) continue;
            millis.add(ms);
            tokens.add((long) b.size() * b.length());
        }
        return new TrainBenchmark(millis.size(), millis.stream().mapToDouble(Double::doubleValue).toArray(),
                tokens.stream().mapToLong(Long::longValue).toArray(), currentPeakRss());
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
