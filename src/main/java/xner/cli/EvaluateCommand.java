package xner.cli;

import com.google.gson.GsonBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.data.Dataset;
import xner.data.DatasetDict;
import xner.data.Sentence;
import xner.evaluate.EntityScores;
import xner.model.TokenClassifier;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.train.Evaluation;
import xner.train.Example;

/**
 * {@code xner evaluate}: entity-level precision, recall and F1 (seqeval's) of a fine-tuned model on a split of
 * each language, e.g. zero-shot transfer: {@code bin/xner evaluate --model runs/de --langs de,fr,it,en}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a fine-tuned model on PAN-X, one seqeval classification report per language.")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A fine-tuned model folder.")
    Path model;

    @Option(names = "--langs", split = ",", defaultValue = "de,fr,it,en", paramLabel = "LANGS",
            description = "Languages to score (default: ${DEFAULT-VALUE}).")
    List<String> langs;

    @Option(names = "--split", defaultValue = "test", description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--batch-size", defaultValue = "64") int batchSize;

    @Option(names = "--json", description = "Print one JSON object: language → precision, recall, f1, support, per_type.")
    boolean json;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write CoNLL-style predictions (token gold predicted per line, -DOCSTART- between "
                    + "languages) for an external scorer such as conlleval.")
    Path predictions;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, DatasetDict> corpus = data.load(langs, spec.commandLine().getErr());
        Map<String, Object> summary = new LinkedHashMap<>();
        try (Tokenizer tokenizer = Tokenizers.load(model); TokenClassifier classifier = TokenClassifier.load(model);
                BufferedWriter conll = predictions == null ? null : Files.newBufferedWriter(predictions)) {
            LabelAligner aligner = new LabelAligner(classifier.labels());
            for (String lang : langs) {
                Dataset sentences = corpus.get(lang).get(split);
                Evaluation evaluation = Evaluation.run(classifier, Example.encode(sentences, tokenizer, aligner),
                        batchSize, tokenizer.padId());
                String note = corpus.get(lang).note(split).orElse(null);
                summary.put(lang, json(evaluation.scores(), evaluation.loss(), sentences.size(), note));
                if (conll != null) writeConll(conll, sentences, evaluation);
                if (!json) {
                    out.printf("%s %s: %d sentences, loss %.4f, F1 %.4f%s%n", lang, split, sentences.size(),
                            evaluation.loss(), evaluation.scores().f1(), note == null ? "" : "  (* " + note + ")");
                    out.println(evaluation.scores().report(4));
                }
            }
        }
        if (json) out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(summary));
        out.flush();
        return Xner.EXIT_OK;
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

    /** One "token gold predicted" line per word; words the tokenizer's truncation dropped are not written. */
    private static void writeConll(BufferedWriter w, Dataset sentences, Evaluation evaluation) throws IOException {
        w.write("-DOCSTART- O O\n\n");
        for (int i = 0; i < sentences.size(); i++) {
            Sentence s = sentences.get(i);
            List<String> gold = evaluation.words().gold().get(i);
            List<String> predicted = evaluation.words().predicted().get(i);
            for (int k = 0; k < gold.size(); k++) w.write(s.tokens().get(k) + " " + gold.get(k) + " " + predicted.get(k) + "\n");
            w.write("\n");
        }
    }
}
