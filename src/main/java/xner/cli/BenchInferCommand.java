package xner.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.infer.InferenceBenchmark;
import xner.infer.ModelRuntime;
import xner.infer.TagPipeline;
import xner.io.JsonOutput;
import xner.model.ModelSource;
import xner.model.MultilingualBert;
import xner.model.Precision;
import xner.model.TokenClassifier;

/**
 * {@code xner bench infer}: sentences/s and tokens/s of the tagging pipeline on the Swiss German test split,
 * at one or more batch sizes: {@code bin/xner bench infer --model runs/de --batch 1,32} (add {@code --chunk 512} to hand
 * the pipeline many sentences a call, as the file tagger does). With {@code --length},
 * the model alone on random ids of one shape, as {@code pytorch_bert_bench.py infer BATCH LENGTH} measures.
 */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the tagging pipeline on the Swiss corpus's test sentences: sentences/s and tokens/s per batch size.",
                "With --length T: the model's forward pass and argmax on random ids, batch × T, the plain-PyTorch "
                        + "reference's measure (pytorch_bert_bench.py infer BATCH T)."})
public final class BenchInferCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;

    static final class Weights {
        @Option(names = "--model", paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
                description = "A fine-tuned token classifier." + ModelArgument.HELP)
        ModelSource model;

        @Option(names = "--mbert", description = "Multilingual BERT from its Maven artifact with a fresh head (same speed "
                + "as a fine-tuned one).")
        boolean mbert;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Weights weights;

    private Path modelDir; // --model's files on this machine, fetched once for every runtime timed

    @Option(names = "--lang", defaultValue = "de", description = "The language whose sentences are tagged (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(names = "--split", defaultValue = "test", description = "The split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--batch", split = ",", defaultValue = "1,32", paramLabel = "N[,N...]",
            description = "Batch sizes, each timed in turn (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--chunk", defaultValue = "0", paramLabel = "N",
            description = "Sentences handed to the pipeline a call, which sorts them by length into batches: the file "
                    + "tagger's way, less padding (default: the batch size, one forward pass a call).")
    int chunk;

    @Option(names = "--max-sentences", defaultValue = "0", paramLabel = "N",
            description = "Tag only the first N sentences (default: all).")
    int maxSentences;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed calls first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--length", defaultValue = "0", paramLabel = "T",
            description = "Random ids of T tokens instead of the sentences: the model alone, at the reference's shape.")
    int length;

    @Option(names = "--steps", defaultValue = "5", paramLabel = "N",
            description = "Timed forward passes with --length (default: ${DEFAULT-VALUE}, as the reference).")
    int steps;

    @Option(names = "--runtime", split = ",", defaultValue = "libtorch", paramLabel = "RUNTIME[,RUNTIME...]",
            description = "libtorch, onnx and/or onnx-int8, each timed in turn in this run (default: ${DEFAULT-VALUE}). "
                    + "Resident memory is the process's: run one runtime a process for clean figures.")
    List<String> runtimes;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (int b : batches) if (b < 1) throw new XnerInputException("--batch: sizes must be >= 1, got " + b);
        if (chunk < 0) throw new XnerInputException("--chunk must be >= 1 (or 0 for the batch size), was " + chunk);
        if (chunk > 0 && length > 0) throw new XnerInputException("--chunk applies to sentences, not to --length");
        if (length < 0 || length == 1) throw new XnerInputException("--length must be >= 2 (or 0 for the sentences), was " + length);
        List<List<String>> sentences = List.of();
        if (length == 0) {
            Dataset set = data.load(List.of(lang), err).get(lang).get(split);
            if (maxSentences > 0) set = set.take(Math.min(maxSentences, set.size()));
            sentences = set.stream().map(Sentence::words).toList();
            if (sentences.isEmpty()) throw new XnerInputException(lang + " " + split + ": no sentences to tag");
        }
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "?");
        List<ModelRuntime> chosen = runtimes.stream().map(r -> ModelRuntime.parse(r, "--runtime")).toList();
        device.use(chosen);
        Precision precision = precisionOption.use(chosen);
        if (weights.mbert && chosen.stream().anyMatch(r -> r != ModelRuntime.LIBTORCH)) {
            throw new XnerInputException("--mbert runs on libtorch only; for ONNX, save the model and export it: xner export "
                    + "--model DIR --output DIR");
        }
        if (!weights.mbert) modelDir = ModelArgument.fetch(weights.model, err).folder();
        JsonObject report = new JsonObject();
        report.addProperty("model", weights.mbert ? MultilingualBert.NAME + " (fresh head)" : weights.model.toString());
        report.addProperty("threads", threads);
        report.addProperty("onnx_threads", System.getProperty("xner.onnx.num_threads", "2"));
        report.addProperty("libtorch_precision", precision.label());
        report.addProperty("cpu", Precision.cpuModel());
        report.addProperty("input", length > 0 ? "random ids, length " + length : "PAN-X " + lang + " " + split + " (" + data.corpus + ")");
        JsonArray results = new JsonArray();
        if (!json) {
            out.printf("xner bench infer: %s, %s, %s intra-op threads, libtorch in %s, CPU %s%n",
                    report.get("model").getAsString(), length > 0 ? "random ids of " + length + " tokens"
                            : sentences.size() + " sentences of PAN-X " + lang + " " + split + " (" + data.corpus + " corpus)",
                    threads, precision, Precision.cpuModel());
            if (chosen.contains(ModelRuntime.LIBTORCH)) BenchCommand.Train.printProductRates(out);
            out.flush();
        }
        for (ModelRuntime runtime : chosen) {
            long started = System.nanoTime();
            try (TagPipeline pipeline = load(runtime)) {
                double loadSeconds = (System.nanoTime() - started) / 1e9;
                String name = pipeline.runtime();
                if (!json) {
                    out.printf("%s: loaded in %.2f s, resident %,d MB%n", name, loadSeconds, residentMegabytes());
                    out.flush();
                }
                for (int b : batches) {
                    InferenceBenchmark.Result r = length > 0
                            ? InferenceBenchmark.fixedShape(pipeline, b, length, steps, warmup, 0)
                            : InferenceBenchmark.sentences(pipeline, sentences, b, chunk > 0 ? chunk : b, warmup);
                    JsonObject row = json(r);
                    row.addProperty("runtime", name);
                    row.addProperty("load_seconds", loadSeconds);
                    row.addProperty("resident_mb", residentMegabytes());
                    results.add(row);
                    if (!json) {
                        out.printf("%s batch %3d%s: %,d %s in %.2f s: %.1f sentences/s, %.0f tokens/s (%,d tokens, %,d computed with "
                                        + "padding); median %.1f ms, p99 %.1f ms a call%n", name, b,
                                chunk > 0 ? String.format(", chunk %d", chunk) : "", r.sentences(), length > 0 ? "rows" : "sentences",
                                r.seconds(), r.sentencesPerSecond(), r.tokensPerSecond(), r.tokens(), r.computed(), r.medianCallMs(),
                                r.p99CallMs());
                        out.flush();
                    }
                }
            }
        }
        if (json) {
            report.add("results", results);
            out.println(JsonOutput.PRETTY.toJson(report));
            out.flush();
        }
        return Xner.EXIT_OK;
    }

    /** This process's resident memory (VmRSS), in MB; 0 where /proc is not there. */
    static long residentMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private TagPipeline load(ModelRuntime runtime) {
        int largest = batches.stream().mapToInt(Integer::intValue).max().orElse(32);
        TagPipeline.Options options = TagPipeline.Options.DEFAULTS.withBatchSize(largest);
        if (!weights.mbert) return TagPipeline.load(modelDir, options, runtime);
        Path dir = MultilingualBert.modelDir();
        return TagPipeline.create(dir, TokenClassifier.fromPretrained(dir, LabelSet.PANX, 42), options);
    }

    private JsonObject json(InferenceBenchmark.Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("batch", r.batchSize());
        if (length == 0) o.addProperty("chunk", chunk > 0 ? chunk : r.batchSize());
        o.addProperty("sentences", r.sentences());
        o.addProperty("tokens", r.tokens());
        o.addProperty("computed_tokens", r.computed());
        o.addProperty("calls", r.calls());
        o.addProperty("seconds", r.seconds());
        o.addProperty("sentences_per_second", r.sentencesPerSecond());
        o.addProperty("tokens_per_second", r.tokensPerSecond());
        o.addProperty("median_call_ms", r.medianCallMs());
        o.addProperty("p99_call_ms", r.p99CallMs());
        return o;
    }
}
