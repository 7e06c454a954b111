package xner.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import xner.evaluate.EntityScores;
import xner.evaluate.Evaluation;
import xner.evaluate.WordTags;
import xner.io.JsonOutput;
import xner.model.LogitsModel;
import xner.model.ModelSource;
import xner.tokenize.Example;
import xner.tokenize.LabelAligner;
import xner.tokenize.PreTokenizedWords;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;

/**
 * {@code xner evaluate}: entity-level precision, recall and F1 (seqeval's) of a fine-tuned model on a split of
 * each language, e.g. zero-shot transfer: {@code bin/xner evaluate --model runs/de --langs de,fr,it,en}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a fine-tuned model: one seqeval classification report per file given (--test, "
                + "--validation, --train), else per PAN-X language.")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin CorpusFileOptions files;
    @Mixin RuntimeOption runtime;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;

    @Option(names = "--model", required = true, paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "A fine-tuned token classifier." + ModelArgument.HELP)
    ModelSource model;

    @Option(names = "--langs", split = ",", defaultValue = "de,fr,it,en", paramLabel = "LANGS",
            description = "Languages to score (default: ${DEFAULT-VALUE}).")
    List<String> langs;

    @Option(names = "--split", defaultValue = "test", description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--batch-size", defaultValue = "64") int batchSize;

    @Option(names = "--mode", defaultValue = "default", paramLabel = "default|strict",
            description = "seqeval's mode: default (conlleval's reading: an I- tag may open an entity) or strict "
                    + "(mode=\"strict\", scheme=IOB2: an entity is B- followed by I-; tags are IOB2 after reading).")
    String mode;

    @Option(names = "--json", description = "Print one JSON object: language → precision, recall, f1, support, per_type.")
    boolean json;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write CoNLL-style predictions (token gold predicted per line, -DOCSTART- between "
                    + "languages) for an external scorer such as conlleval.")
    Path predictions;

    @Override
    public Integer call() throws IOException {
        device.use(List.of(runtime.runtime()));
        precisionOption.use(List.of(runtime.runtime()));
        PrintWriter out = spec.commandLine().getOut();
        boolean strict = switch (mode) {
            case "default" -> false;
            case "strict" -> true;
            default -> throw new XnerInputException("--mode: expected default or strict, got \"" + mode + "\"");
        };
        // what to score: each file given (--test, --validation, --train), else each PAN-X language's split
        Map<String, Dataset> sets = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        Path modelDir = ModelArgument.fetch(model, spec.commandLine().getErr()).folder();
        try (Tokenizer tokenizer = Tokenizers.load(modelDir); LogitsModel classifier = runtime.runtime().load(modelDir);
                PreTokenizedWords words = new PreTokenizedWords(() -> modelDir);
                BufferedWriter conll = predictions == null ? null : Files.newBufferedWriter(predictions)) {
            LabelSet labels = classifier.labels();
            if (files.any()) {
                List<Path> paths = new ArrayList<>(files.test);
                paths.addAll(files.validation);
                paths.addAll(files.train);
                for (Path file : CorpusFiles.expand(paths)) {
                    CorpusFiles read = files.read(List.of(file), words);
                    read.schemes().forEach(line -> spec.commandLine().getErr().println("xner: " + line));
                    sets.put(file.toString(), read.dataset(labels, "the model's"));
                }
            } else {
                Map<String, DatasetDict> corpus = data.load(langs, spec.commandLine().getErr());
                for (String lang : langs) {
                    sets.put(lang, corpus.get(lang).get(split));
                    corpus.get(lang).note(split).ifPresent(n -> notes.put(lang, n));
                }
            }
            LabelAligner aligner = new LabelAligner(labels);
            for (Map.Entry<String, Dataset> set : sets.entrySet()) {
                String name = set.getKey();
                Dataset sentences = set.getValue();
                List<Example> examples = Example.encode(sentences, tokenizer, aligner);
                Evaluation evaluation = Evaluation.run(classifier, examples, batchSize, tokenizer.padId());
                int withoutTokens = WordTags.wordsWithoutTokens(examples.stream().map(Example::words).toArray(int[][]::new),
                        evaluation.words().gold());
                if (withoutTokens > 0) {
                    spec.commandLine().getErr().printf("xner: %s: %d word%s without a sub-token (cut off by the maximum length, or "
                            + "nothing the tokenizer keeps): each keeps its gold tag and is scored as predicted O%n", name, withoutTokens,
                            withoutTokens == 1 ? "" : "s");
                }
                EntityScores scores = strict ? evaluation.words().score(true) : evaluation.scores();
                String note = notes.get(name);
                Map<String, Object> row = json(scores, evaluation.loss(), sentences.size(), note);
                row.put("words_without_tokens", withoutTokens);
                row.put("ece", evaluation.calibrationError());
                row.put("temperature", classifier.config().temperature());
                addUnseenTypes(row, labels);
                if (strict) row.put("mode", "strict");
                summary.put(name, row);
                if (conll != null) writeConll(conll, sentences, evaluation);
                if (!json) {
                    out.printf("%s%s: %d sentences, loss %.4f, F1 %.4f%s%s%n", name, files.any() ? "" : " " + split,
                            sentences.size(), evaluation.loss(), scores.f1(), strict ? " (seqeval strict, IOB2)" : "",
                            note == null ? "" : "  (* " + note + ")");
                    out.print(scores.report(4));
                    out.printf("calibration: expected calibration error of the entity scores %.4f (10 bins; temperature %.3f%s)%n",
                            evaluation.calibrationError(), classifier.config().temperature(),
                            classifier.config().temperature() == 1 ? ", never calibrated: xner calibrate fits one" : "");
                    List<String> unseen = labels.entityTypes().stream().filter(t -> !scores.perType().containsKey(t)).toList();
                    if (!unseen.isEmpty()) {
                        out.println("types of the model neither in the gold tags nor predicted: " + String.join(", ", unseen));
                    }
                    out.println();
                }
            }
        }
        if (json) out.println(JsonOutput.PRETTY.toJson(summary));
        out.flush();
        return Xner.EXIT_OK;
    }

    /** A per-type row (zeros, support 0) for each type of the model that seqeval's report leaves out. */
    @SuppressWarnings("unchecked")
    static void addUnseenTypes(Map<String, Object> row, LabelSet labels) {
        Map<String, Object> perType = (Map<String, Object>) row.get("per_type");
        for (String type : labels.entityTypes()) {
            if (perType.containsKey(type)) continue;
            perType.put(type, Map.of("precision", 0.0, "recall", 0.0, "f1", 0.0, "support", 0));
        }
    }

    static Map<String, Object> json(EntityScores scores, double loss, int sentences, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", scores.precision());
        m.put("recall", scores.recall());
        m.put("f1", scores.f1());
        m.put("support", scores.support());
        m.put("loss", loss);
        m.put("sentences", sentences);
        Map<String, Object> perType = new LinkedHashMap<>();
        scores.perType().forEach((type, s) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("precision", s.precision());
            row.put("recall", s.recall());
            row.put("f1", s.f1());
            row.put("support", s.support());
            perType.put(type, row);
        });
        m.put("per_type", perType);
        if (note != null) m.put("note", note);
        return m;
    }

    /** One "token gold predicted" line per word (a word the tokenizer's truncation cut off is predicted O). */
    private static void writeConll(BufferedWriter w, Dataset sentences, Evaluation evaluation) throws IOException {
        w.write("-DOCSTART- O O\n\n");
        for (int i = 0; i < sentences.size(); i++) {
            Sentence s = sentences.get(i);
            List<String> gold = evaluation.words().gold().get(i);
            List<String> predicted = evaluation.words().predicted().get(i);
            for (int k = 0; k < gold.size(); k++) w.write(s.words().get(k) + " " + gold.get(k) + " " + predicted.get(k) + "\n");
            w.write("\n");
        }
    }
}
