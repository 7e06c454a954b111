package xner.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.CorpusFiles;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.model.ModelDirectory;
import xner.tokenize.LabelAligner;
import xner.tokenize.PreTokenizedWords;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.tokenize.Example;
import xner.train.TemperatureCalibration;

/**
 * {@code xner calibrate}: fits a trained model's temperature on labelled data and stores it in its {@code config.json},
 * for models trained before {@code train} did so (or with {@code --no-calibrate}):
 * {@code bin/xner calibrate --model runs/nl --validation ned.testa --encoding latin-1}.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit the temperature that makes a trained model's scores mean what they say (a score of 0.9 right nine "
                + "times in ten) on labelled validation data, and store it in the model's config.json, where tag, serve, "
                + "spark-tag and the ONNX runtime apply it. Tags and F1 do not change.",
                "Data: the files of --validation (as train reads them), else the PAN-X validation split of --langs."})
public final class CalibrateCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin CorpusFileOptions files;
    @Mixin PrecisionOption precisionOption;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A fine-tuned model folder (its config.json is rewritten).")
    Path model;

    @Option(names = "--langs", split = ",", paramLabel = "LANGS", description = "PAN-X languages whose validation split to fit on.")
    List<String> langs = new ArrayList<>();

    @Option(names = "--batch-size", defaultValue = "64") int batchSize;

    @Option(names = "--objective", defaultValue = "entities", paramLabel = "tokens|entities",
            description = "Fit the temperature to the entities' log loss (default: their scores as the probability of "
                    + "being right) or to the tokens' likelihood (Guo et al.'s temperature scaling).")
    String objective;

    @Override
    public Integer call() throws IOException {
        precisionOption.use();
        if (!files.validation.isEmpty() == !langs.isEmpty()) {
            throw new XnerInputException("give either --validation FILE (labelled data of the model's kind) or --langs");
        }
        LabelSet labels = new LabelSet(ModelDirectory.readConfig(model).id2label());
        if (labels.names().isEmpty()) {
            throw new XnerInputException(model.resolve(ModelDirectory.CONFIG) + ": no id2label: not a token classifier (train one first)");
        }
        Dataset validation;
        if (!files.validation.isEmpty()) {
            try (PreTokenizedWords words = new PreTokenizedWords(() -> model)) { // span files are cut as the model's tokenizer cuts
                CorpusFiles read = files.read(CorpusFiles.expand(files.validation), words);
                read.schemes().forEach(line -> spec.commandLine().getErr().println("xner: " + line));
                validation = read.dataset(labels, "the model's");
            }
        } else {
            List<xner.data.Sentence> sentences = new ArrayList<>();
            var corpus = data.load(langs, spec.commandLine().getErr());
            for (String lang : langs) corpus.get(lang).get("validation").forEach(sentences::add);
            validation = Dataset.of(sentences, labels);
        }
        try (Tokenizer tokenizer = Tokenizers.load(model)) {
            TemperatureCalibration c = TemperatureCalibration.fit(model, Example.encode(validation, tokenizer, new LabelAligner(labels)),
                    batchSize, tokenizer.padId(), TemperatureCalibration.Objective.parse(objective, "--objective"));
            spec.commandLine().getOut().println("xner: " + c.describe() + "; written to " + model.resolve(ModelDirectory.CONFIG));
        }
        return Xner.EXIT_OK;
    }
}
