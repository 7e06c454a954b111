package xner.train;

import xner.tokenize.Example;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.model.TokenClassifier;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;

/**
 * One fine-tuning, described: the training and validation sentences, the label set of the head, the body
 * it starts from, the recipe, and what else the record should say of where the data came from. {@link #run}
 * is the one place that turns it into a trained model folder with its {@code xner-run.json}; {@code xner
 * train} and every sub-run of the experiment go through it.
 *
 * <pre>
 *   FineTuning ft = new FineTuning(train, validation, labels, MultilingualBert.modelDir(), TrainingConfig.chapter(), Map.of(),
 *           TrainingMemory.machineDefault());
 *   FineTuner.Result r = ft.run(tokenizer, Path.of("runs/nl"), false, "xner train ...", System.err, System.err::println, log -> { });
 * </pre>
 *
 * @param train       training sentences, tags in {@code labels}
 * @param validation  validation sentences, scored after every epoch
 * @param labels      the head's labels, in id order ({@code config.json}'s {@code id2label})
 * @param body        a pretrained body, or a fine-tuned token classifier to adapt ({@link TokenClassifier#fromPretrained})
 * @param config      the recipe
 * @param description more facts for {@code xner-run.json} (languages, files, corpus seed, ...)
 */
public record FineTuning(Dataset train, Dataset validation, LabelSet labels, Path body, TrainingConfig config,
        Map<String, Object> description, TrainingMemory memory) {
    public static final String RUN_RECORD = "xner-run.json";

    public FineTuning {
        description = Map.copyOf(description);
    }

    /**
     * Writes {@code xner-run.json}, then trains into {@code output} ({@link FineTuner}: a checkpoint every
     * epoch, {@code resume} goes on from the last one).
     *
     * @param tokenizer the body's tokenizer, truncating as the run should
     * @param command   the command line, for the record
     * @param notes     where the load report goes (which weights were new, unused or resized)
     */
    public FineTuner.Result run(Tokenizer tokenizer, Path output, boolean resume, String command, PrintStream progress,
            java.util.function.Consumer<String> notes, FineTuner.EpochListener listener) throws IOException {
        Files.createDirectories(output);
        Path runRecord = output.resolve(RUN_RECORD);
        boolean newRecord = !Files.exists(runRecord);
        RunRecord record = record(command);
        record.write(runRecord);
        LabelAligner aligner = new LabelAligner(labels);
        List<Example> trainExamples = Example.encode(train, tokenizer, aligner);
        List<Example> validationExamples = Example.encode(validation, tokenizer, aligner);
        long trimsBefore = NativeHeap.trims();
        try {
            FineTuner.Result result = new FineTuner(config, progress, listener, memory).train(() -> newModel(notes), body,
                    trainExamples, validationExamples, tokenizer.padId(), output, resume);
            // the resident peak of this process so far (VmHWM): the load, every step and the evaluations
            long peak = TrainingMemory.peakResidentBytes();
            if (peak > 0) record = record.withFact("peak_resident_mb", peak >> 20);
            // how often a step gave malloc's free pages back first (TrainingStep): each costs page faults after it
            record = record.withFact("malloc_trims", NativeHeap.trims() - trimsBefore);
            // the JVM's heap as committed now: resident beside libtorch's memory, and counted in the budget's check
            record.withFact("java_heap_committed_mb", Runtime.getRuntime().totalMemory() >> 20).write(runRecord);
            return result;
        } catch (xner.XnerInputException e) {
            // refused before any training (no disk space, a bad checkpoint): no record of a run that did not happen
            if (newRecord && !Files.exists(output.resolve(FineTuner.CHECKPOINTS))) Files.deleteIfExists(runRecord);
            throw e;
        }
    }

    /** The record of this run: every data file its sentences came from and the body's files, with their SHA-256. */
    RunRecord record(String command) {
        List<Path> inputs = new ArrayList<>(Stream.concat(train.stream(), validation.stream())
                .map(s -> s.source().file()).distinct().toList());
        for (String f : java.util.stream.Stream.concat(java.util.stream.Stream.of(xner.model.ModelDirectory.CONFIG),
                xner.model.ModelDirectory.WEIGHT_FILES.stream()).toList()) {
            if (Files.isRegularFile(body.resolve(f))) inputs.add(body.resolve(f));
        }
        Map<String, Object> facts = new LinkedHashMap<>(description);
        facts.put("labels", labels.names());
        facts.put("train_sentences", train.size());
        facts.put("validation_sentences", validation.size());
        facts.put("model", body.toString());
        facts.put("training", config.asMap());
        if (memory.maxBytes() != Long.MAX_VALUE) facts.put("max_memory_mb", memory.maxBytes() >> 20);
        return RunRecord.capture(command, inputs, config.seed(), facts);
    }

    private TokenClassifier newModel(java.util.function.Consumer<String> notes) {
        TokenClassifier model = TokenClassifier.fromPretrained(body, labels, config.seed());
        String report = model.loadReport().describe();
        notes.accept("xner: " + (report.isEmpty() ? "the classifier head of " + body + " is kept (same labels)" : report));
        return model;
    }
}
