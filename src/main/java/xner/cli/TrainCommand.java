package xner.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.CorpusFiles;
import xner.data.Dataset;
import xner.data.DatasetDict;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.evaluate.Evaluation;
import xner.model.LocalModel;
import xner.model.ModelSource;
import xner.model.MultilingualBert;
import xner.model.Precision;
import xner.model.TokenClassifier;
import xner.tokenize.Example;
import xner.tokenize.LabelAligner;
import xner.tokenize.PreTokenizedWords;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.train.FineTuner;
import xner.train.FineTuning;
import xner.train.TemperatureCalibration;
import xner.train.TrainingConfig;
import xner.train.TrainingMemory;

/**
 * {@code xner train}: fine-tunes a pretrained body (multilingual BERT by default) for PAN-X tagging with the
 * chapter's recipe, evaluating on the validation split after every epoch.
 *
 * <pre>
 *   bin/xner train --data-dir ../shared/data --train-langs de --epochs 1 --output runs/de
 * </pre>
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tune a token classifier on PAN-X (AdamW 5e-5, weight decay 0.01, linear decay, batch 24, "
                + "3 epochs, seed 42), evaluating on validation after every epoch.")
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin CorpusFileOptions files;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;

    @Option(names = "--train-langs", split = ",", paramLabel = "LANGS",
            description = "PAN-X languages to train on together, e.g. de or de,fr (training sets concatenated, shuffled "
                    + "with the seed); with --train, PAN-X and the files together.")
    List<String> trainLangs = new ArrayList<>();

    @Option(names = "--validation-langs", split = ",", paramLabel = "LANGS",
            description = "Languages whose validation splits are evaluated each epoch (default: the training languages).")
    List<String> validationLangs;

    @Option(names = "--model", paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "Pretrained body (default: multilingual BERT from Maven Central, converted once into the cache), "
                    + "or a fine-tuned token classifier to adapt: its head is kept for the same labels, else resized (rows "
                    + "of shared labels kept)." + ModelArgument.HELP)
    ModelSource body;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the model, logs and checkpoints go.")
    Path output;

    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--batch-size", defaultValue = "24") int batchSize;
    @Option(names = "--lr", defaultValue = "5e-5") double learningRate;
    @Option(names = "--warmup-steps", defaultValue = "0") int warmupSteps;
    @Option(names = "--seed", defaultValue = "42", description = "Training seed: head initialisation, order, dropout.")
    long seed;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "N",
            description = "Truncate sentences to N sub-tokens, as run_ner.py's --max_seq_length (default: the tokenizer's, "
                    + "512 for BERT). Words cut off get no label in training and are scored as predicted O.")
    int maxLength;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "What training may take, resident (e.g. 8g, 12000m; default: 8g, or three quarters of the "
                    + "machine's memory when that is less). A batch whose activations would not fit goes through in "
                    + "micro-batches whose gradients add up to the same update; a run that cannot fit is refused before "
                    + "it starts.")
    String maxMemory;

    @Option(names = "--max-train-samples", paramLabel = "N", description = "Keep the first N training sentences.")
    Integer maxTrainSamples;

    @Option(names = "--max-validation-samples", paramLabel = "N", description = "Keep the first N validation sentences.")
    Integer maxValidationSamples;

    @Option(names = "--no-group-by-length", negatable = false,
            description = "Plain random batches instead of batches of similar length.")
    boolean noGroupByLength;

    @Option(names = "--dense-embeddings", description = "Update the whole word-embedding table every step (slow).")
    boolean denseEmbeddings;

    @Option(names = "--no-calibrate", description = "Leave the model's scores uncalibrated (by default a temperature is fitted "
            + "on the validation set after the last epoch and stored in config.json; tags are the same either way).")
    boolean noCalibrate;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --output.")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh in an --output that already holds a run (its step log, "
            + "checkpoint and model are replaced).")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        device.use();
        // a run that goes on from its checkpoint keeps the precision it was trained in, unless told otherwise
        Precision precision = resume ? precisionOption.useOr(FineTuner.checkpointPrecision(output)) : precisionOption.use();
        PrintWriter err = spec.commandLine().getErr();
        // the recipe is checked before anything is read or loaded: a bad --epochs is one line, at once
        TrainingConfig config = TrainingConfig.chapter().toBuilder().epochs(epochs).batchSize(batchSize)
                .learningRate(learningRate).warmupSteps(warmupSteps).seed(seed)
                .groupByLength(!noGroupByLength).sparseEmbeddings(!denseEmbeddings).precision(precision).build();
        refuseToTrainOverARun();
        LocalModel fetched = body != null ? ModelArgument.fetch(body, err) : null;
        Path bodyDir = fetched != null ? fetched.folder() : MultilingualBert.modelDir();
        Splits splits = readSplits(err, bodyDir);
        TrainingMemory memory = maxMemory == null ? TrainingMemory.machineDefault() : TrainingMemory.parse(maxMemory, "--max-memory");
        FineTuning fineTuning = new FineTuning(splits.train(), splits.validation(), splits.labels(), bodyDir, config,
                runDescription(splits.validationLangs(), fetched), memory);

        try (Tokenizer tokenizer = Tokenizers.load(bodyDir, maxLength)) {
            err.printf("xner: training on %d sentences (%s), validating on %d (%s), %d steps%n", splits.train().size(),
                    describe(trainLangs, files.train), splits.validation().size(),
                    describe(splits.validationLangs(), files.validation), config.totalSteps(splits.train().size()));
            err.flush();
            FineTuner.Result result = fineTuning.run(tokenizer, output, resume,
                    String.join(" ", spec.commandLine().getParseResult().originalArgs()), new PrintStream(System.err, true),
                    note -> {
                        err.println(note);
                        err.flush();
                    }, log -> { });
            TemperatureCalibration calibration = null;
            if (!noCalibrate) {
                calibration = TemperatureCalibration.fit(output, Example.encode(splits.validation(), tokenizer,
                        new LabelAligner(splits.labels())), config.evalBatchSize(), tokenizer.padId(),
                        TemperatureCalibration.Objective.ENTITIES);
                err.println("xner: " + calibration.describe());
                err.flush();
            }
            PrintWriter out = spec.commandLine().getOut();
            Evaluation validation = result.validation();
            out.printf("validation F1 %.4f (precision %.4f, recall %.4f) after %d epochs; model in %s%n",
                    validation.scores().f1(), validation.scores().precision(), validation.scores().recall(),
                    result.epochs().size(), output);
            out.print(validation.scores().report(4));
            if (splits.test() != null) scoreTest(splits, validation, calibration, tokenizer, config, out);
            out.flush();
        }
        return Xner.EXIT_OK;
    }

    /**
     * What the run trains, validates and tests on, in the model's label set.
     *
     * @param test            the test files' sentences, or null without {@code --test}
     * @param validationLangs the PAN-X languages in {@code validation}
     */
    private record Splits(Dataset train, Dataset validation, Dataset test, LabelSet labels, List<String> validationLangs) {}

    /** A folder that already holds a run is continued ({@code --resume}) or replaced ({@code --overwrite}), never both, never silently. */
    private void refuseToTrainOverARun() {
        if (trainLangs.isEmpty() && files.train.isEmpty()) {
            throw new XnerInputException("nothing to train on: give --train-langs (PAN-X) or --train FILE");
        }
        if (resume && overwrite) throw new XnerInputException("--resume and --overwrite: choose one");
        if (resume || overwrite) return;
        for (String f : List.of("checkpoints", "checkpoints.old", FineTuner.STEPS, "model.safetensors")) {
            if (Files.exists(output.resolve(f))) {
                throw new XnerInputException(output + ": already holds a run (" + f + "): --resume continues it, "
                        + "--overwrite starts afresh and replaces it");
            }
        }
    }

    /** Reads PAN-X and the files, settles the label set (given, or from the training data) and cuts the samples. */
    private Splits readSplits(PrintWriter err, Path bodyDir) {
        files.config(); // bad options fail before any file is read
        LabelSet labels = files.modelLabels();
        List<String> valLangs = validationLangs != null ? validationLangs
                : files.validation.isEmpty() || files.train.isEmpty() ? trainLangs : List.of();
        List<String> langs = new ArrayList<>(trainLangs);
        for (String l : valLangs) if (!langs.contains(l)) langs.add(l);
        Map<String, DatasetDict> corpus = langs.isEmpty() ? Map.of() : data.load(langs, err);

        CorpusFiles trainFiles;
        CorpusFiles validationFiles;
        CorpusFiles testFiles;
        // span files' texts are cut into words by the tokenizer the model is trained with, as tag will cut them
        try (PreTokenizedWords words = new PreTokenizedWords(() -> bodyDir)) {
            trainFiles = files.train.isEmpty() ? null : files.read(files.train, words);
            validationFiles = files.validation.isEmpty() ? null : files.read(files.validation, words);
            testFiles = files.test.isEmpty() ? null : files.read(files.test, words);
        }
        for (CorpusFiles f : java.util.Arrays.asList(trainFiles, validationFiles, testFiles)) {
            if (f != null) f.schemes().forEach(line -> err.println("xner: " + line));
        }
        List<Sentence> trainSentences = new ArrayList<>();
        for (String l : trainLangs) corpus.get(l).get("train").forEach(trainSentences::add);
        if (trainFiles != null) trainSentences.addAll(trainFiles.sentences());
        if (labels == null) labels = trainFiles == null ? LabelSet.PANX : LabelSet.fromData(trainSentences);
        if (labels.entityTypes().isEmpty()) throw new XnerInputException("the training data has no entity: nothing to learn");
        err.println("xner: labels " + String.join(", ", labels.names()));

        List<Dataset> trainParts = new ArrayList<>();
        for (String l : trainLangs) trainParts.add(relabel(corpus.get(l).get("train"), labels));
        if (trainFiles != null) trainParts.add(trainFiles.dataset(labels, "the training data's"));
        Dataset train = Dataset.concatenate(trainParts);
        if (trainParts.size() > 1) train = train.shuffle(seed);
        if (maxTrainSamples != null) train = train.take(Math.min(maxTrainSamples, train.size()));
        List<Dataset> validationParts = new ArrayList<>();
        for (String l : valLangs) validationParts.add(relabel(corpus.get(l).get("validation"), labels));
        if (validationFiles != null) validationParts.add(validationFiles.dataset(labels, "the training data's"));
        if (validationParts.isEmpty()) {
            throw new XnerInputException("no validation data: give --validation FILE (training evaluates after every epoch)");
        }
        Dataset validation = Dataset.concatenate(validationParts);
        if (maxValidationSamples != null) validation = validation.take(Math.min(maxValidationSamples, validation.size()));
        Dataset test = testFiles == null ? null : testFiles.dataset(labels, "the training data's");
        return new Splits(train, validation, test, labels, valLangs);
    }

    /** Where the data came from, for {@code xner-run.json}. */
    private Map<String, Object> runDescription(List<String> valLangs, LocalModel fetched) {
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        if (fetched != null && fetched.commit() != null) record.put("model_source", fetched.describe()); // hub id, revision, commit
        record.put("train_langs", trainLangs);
        record.put("validation_langs", valLangs);
        record.put("train_files", files.train.stream().map(Path::toString).toList());
        record.put("validation_files", files.validation.stream().map(Path::toString).toList());
        record.put("test_files", files.test.stream().map(Path::toString).toList());
        record.put("encoding", files.config().encoding().name());
        record.put("span_offsets", files.config().offsets().wireName()); // how span files were read
        record.put("corpus", data.corpus);
        record.put("corpus_seed", data.corpusSeed);
        record.put("max_length", maxLength > 0 ? maxLength : "the tokenizer's");
        return record;
    }

    /** Scores the trained model on the test files: the report, and {@code test_results.json} beside the model. */
    private void scoreTest(Splits splits, Evaluation validation, TemperatureCalibration calibration, Tokenizer tokenizer,
            TrainingConfig config, PrintWriter out) throws IOException {
        Dataset test = splits.test();
        try (TokenClassifier model = TokenClassifier.load(output)) {
            Evaluation ev = Evaluation.run(model, Example.encode(test, tokenizer, new LabelAligner(splits.labels())),
                    config.evalBatchSize(), tokenizer.padId());
            Map<String, Object> results = new java.util.LinkedHashMap<>();
            results.put("test", EvaluateCommand.json(ev.scores(), ev.loss(), test.size(), null));
            results.put("validation", EvaluateCommand.json(validation.scores(), validation.loss(),
                    splits.validation().size(), null));
            results.put("test_files", files.test.stream().map(Path::toString).toList());
            if (calibration != null) {
                Map<String, Object> c = new java.util.LinkedHashMap<>();
                c.put("temperature", calibration.temperature());
                c.put("validation_ece_before", calibration.before());
                c.put("validation_ece_after", calibration.after());
                c.put("test_ece", ev.calibrationError());
                results.put("calibration", c);
            }
            Files.writeString(output.resolve("test_results.json"), xner.io.JsonOutput.PRETTY.toJson(results));
            out.printf("test F1 %.4f (precision %.4f, recall %.4f) on %d sentences of %s%n", ev.scores().f1(),
                    ev.scores().precision(), ev.scores().recall(), test.size(), files.test);
            out.print(ev.scores().report(4));
            out.printf("test: expected calibration error of the entity scores %.4f (temperature %.3f)%n", ev.calibrationError(),
                    model.config().temperature());
        }
    }

    /** A PAN-X split with the model's label set (PAN-X's tags must be in it). */
    private static Dataset relabel(Dataset panx, LabelSet labels) {
        return panx.labels().equals(labels) ? panx : Dataset.of(panx.stream().toList(), labels);
    }

    private static String describe(List<String> langs, List<Path> paths) {
        List<String> parts = new ArrayList<>(langs.stream().map(l -> "PAN-X " + l).toList());
        paths.forEach(p -> parts.add(p.getFileName().toString()));
        return String.join(" + ", parts);
    }
}
