package xner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.NumpyGenerator;
import xner.model.ModelSource;
import xner.model.MultilingualBert;
import xner.model.Precision;
import xner.model.TokenClassifier;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.tokenize.Batch;
import xner.tokenize.Example;
import xner.train.LengthGroupedOrder;
import xner.train.StepProfile;
import xner.train.TrainBenchmark;
import xner.train.TrainingConfig;
import xner.train.TrainingMemory;

/**
 * {@code xner bench}: speed measurements to set beside the plain-PyTorch reference
 * ({@code shared/bench/pytorch_bert_bench.py}) run back to back on the same machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed on this machine (run on a quiet machine, beside the plain-PyTorch reference): "
                + "training steps (bench train) or tagging (bench infer).",
        subcommands = {BenchCommand.Train.class, BenchInferCommand.class, BenchServeCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Xner.EXIT_OK;
    }

    /** {@code xner bench train}: the fine-tuning step, at a fixed shape or on length-grouped batches. */
    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Time the training step (forward, backward, clipping, AdamW) on real Swiss de batches. "
                    + "With --length T every batch is cut or padded to T tokens, the shape of "
                    + "'pytorch_bert_bench.py train B T'; without it, batches are the length-grouped ones of an epoch.")
    static final class Train implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin DataOptions data;
        @Mixin DeviceOption device;
        @Mixin PrecisionOption precisionOption;

        @Option(names = "--model", paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
                description = "Pretrained body (default: multilingual BERT)." + ModelArgument.HELP)
        ModelSource body;

        @Option(names = "--batch-size", defaultValue = "24") int batchSize;
        @Option(names = "--length", paramLabel = "T", description = "Fixed sequence length of every batch.")
        Integer length;
        @Option(names = "--steps", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--max-memory", paramLabel = "SIZE",
                description = "As train's: batches that would not fit go through in micro-batches (default: no limit, "
                        + "every batch in one pass).")
        String maxMemory;
        @Option(names = "--dense-embeddings", description = "Dense AdamW on the whole word-embedding table.")
        boolean denseEmbeddings;
        @Option(names = "--profile", description = "Also print where a step's time goes (forward, backward, clipping, "
                + "AdamW, copies), each phase's share and GFLOP/s against this machine's sgemm peak measured by the "
                + "same libtorch.")
        boolean profile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            device.use();
            Precision precision = precisionOption.use();
            Dataset german = data.load(List.of("de"), spec.commandLine().getErr()).get("de").get("train");
            Path dir = body != null ? ModelArgument.fetch(body, spec.commandLine().getErr()).folder() : MultilingualBert.modelDir();
            TrainingConfig config = TrainingConfig.chapter().toBuilder().batchSize(batchSize)
                    .sparseEmbeddings(!denseEmbeddings).precision(precision).build();
            try (Tokenizer tokenizer = Tokenizers.load(dir);
                    TokenClassifier model = TokenClassifier.fromPretrained(dir, LabelSet.PANX, config.seed())) {
                List<Example> examples = Example.encode(german, tokenizer, new LabelAligner(LabelSet.PANX));
                int[] order = new NumpyGenerator(config.seed() + 1).permutation(examples.size());
                if (length == null) {
                    order = LengthGroupedOrder.of(examples.stream().mapToInt(Example::length).toArray(), batchSize, order);
                }
                List<Batch> batches = new ArrayList<>();
                for (int b = 0; b < warmup + steps; b++) {
                    List<Example> chunk = new ArrayList<>();
                    for (int k = 0; k < batchSize; k++) chunk.add(examples.get(order[(b * batchSize + k) % order.length]));
                    batches.add(length == null ? Batch.collate(chunk, tokenizer.padId())
                            : Batch.collate(chunk, tokenizer.padId(), length));
                }
                out.printf("CPU: %s (%d CPUs seen by Java), libtorch threads %s%n", cpuModel(),
                        Runtime.getRuntime().availableProcessors(), System.getProperty("ai.djl.pytorch.num_threads", "?"));
                TrainBenchmark r = TrainBenchmark.run(model, config, batches, warmup,
                        maxMemory == null ? TrainingMemory.UNLIMITED : TrainingMemory.parse(maxMemory, "--max-memory"));
                double meanLength = (double) java.util.Arrays.stream(r.tokens()).sum() / r.batches() / batchSize;
                if (profile) printProfile(out, r, model, precision);
                out.printf("RESULT xner-train B=%d T=%s sparse=%s precision=%s threads=%s mean=%.0f ms median=%.0f ms "
                                + "tokens/s=%.0f mean-length=%.1f %s%n", batchSize, length == null ? "grouped" : length,
                        config.sparseEmbeddings(), precision, System.getProperty("ai.djl.pytorch.num_threads", "?"),
                        r.meanMillis(), r.medianMillis(), r.tokensPerSecond(), meanLength, r.peakRss());
                out.flush();
            }
            return Xner.EXIT_OK;
        }

        private void printProfile(PrintWriter out, TrainBenchmark r, TokenClassifier model, Precision precision) {
            double peak = printProductRates(out).get(precision);
            out.printf("phases of the %s step against the %s product rate (%.1f GFLOP/s)%n", precision, precision, peak);
            // forward FLOPs of the timed steps, batch by batch (grouped batches differ in length)
            double forwardFlops = 0;
            for (long t : r.tokens()) {
                forwardFlops += t * TrainBenchmark.forwardFlopsPerToken(model.config(), model.labels().size(),
                        (int) (t / batchSize));
            }
            double perStep = forwardFlops / r.batches();
            StepProfile p = r.profile();
            double total = p.meanStepMillis();
            out.printf("PROFILE %-22s %9s %7s %9s %8s%n", "phase", "ms/step", "share", "GFLOP/s", "of peak");
            for (StepProfile.Phase phase : StepProfile.Phase.values()) {
                double ms = p.meanMillis(phase);
                double flops = phase == StepProfile.Phase.FORWARD ? perStep
                        : phase == StepProfile.Phase.BACKWARD ? 2 * perStep : 0;
                out.printf("PROFILE %-22s %9.1f %6.1f%% %s%n", phase.label, ms, 100 * ms / total, rate(flops, ms, peak));
            }
            out.printf("PROFILE %-22s %9.1f %6.1f%% %s%n", "step", total, 100.0, rate(3 * perStep, total, peak));
        }

        private static String rate(double flops, double ms, double peak) {
            if (flops == 0) return "";
            double gflops = flops / ms / 1e6;
            return String.format("%9.1f %7.1f%%", gflops, 100 * gflops / peak);
        }

        /**
         * Prints this machine's fp32 and bf16 product rates (2048², best of 5, the libtorch and threads that run
         * models) and returns them; bf16 only where the CPU has bf16 units.
         */
        static java.util.Map<Precision, Double> printProductRates(PrintWriter out) {
            int n = 2048;
            java.util.Map<Precision, Double> rates = new java.util.EnumMap<>(Precision.class);
            rates.put(Precision.FP32, Precision.FP32.productGflops(n, 5));
            if (Precision.cpuHasBf16Units()) rates.put(Precision.BF16, Precision.BF16.productGflops(n, 5));
            for (var e : rates.entrySet()) {
                out.printf("%s product peak: %.1f GFLOP/s (%dx%d, best of 5, same libtorch and threads)%n", e.getKey(),
                        e.getValue(), n, n);
            }
            if (!Precision.cpuHasBf16Units()) out.println("bf16 product peak: none (no amx_bf16 or avx512_bf16 on this CPU)");
            return rates;
        }

        /** The CPU's model name as lscpu prints it (from /proc/cpuinfo when lscpu is missing). */
        static String cpuModel() {
            try {
                Process lscpu = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
                String text = new String(lscpu.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                lscpu.waitFor();
                for (String line : text.split("\n")) {
                    if (line.startsWith("Model name:")) return line.substring("Model name:".length()).trim();
                }
            } catch (java.io.IOException e) {
                // no lscpu: fall through to /proc/cpuinfo
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Precision.cpuModel();
        }
    }
}
