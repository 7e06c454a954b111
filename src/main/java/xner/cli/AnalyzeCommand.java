package xner.cli;

import java.io.IOException;
import java.io.PrintWriter;
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
import xner.XnerInputException;
import xner.data.Dataset;
import xner.data.DatasetDict;
import xner.evaluate.ErrorAnalysis;
import xner.evaluate.ScoredTokens;
import xner.experiment.Charts;
import xner.io.JsonOutput;
import xner.model.LogitsModel;
import xner.model.ModelSource;
import xner.tokenize.Example;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;

/**
 * {@code xner analyze}: the chapter's error analysis of a fine-tuned model on one language's split: losses by
 * input token and by gold label, the normalised confusion matrix, the sequences with the highest loss.
 *
 * <pre>
 *   bin/xner analyze --model runs/swiss-panx/runs/de/model --lang de --split validation --token "("
 * </pre>
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Error analysis of a fine-tuned model on a PAN-X split or on files (--test FILE): per-token cross-entropy grouped by "
                + "input token (top N by sum) and by gold label (by mean), the normalised confusion matrix, and the "
                + "sequences with the highest total loss as aligned rows (IGN where a token has no label).")
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin CorpusFileOptions files;
    @Mixin RuntimeOption runtime;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;

    @Option(names = "--model", required = true, paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "A fine-tuned token classifier." + ModelArgument.HELP)
    ModelSource model;

    @Option(names = "--lang", defaultValue = "de", description = "Language (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(names = "--split", defaultValue = "validation",
            description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N",
            description = "Input tokens to list, by summed loss (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--sequences", defaultValue = "3", paramLabel = "N",
            description = "Sequences with the highest total loss to show (default: ${DEFAULT-VALUE}).")
    int sequences;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Show only sequences containing this input token, as the tokenizer writes it "
                    + "(e.g. \"(\" for BERT, \"▁(\" for XLM-R).")
    String token;

    @Option(names = "--json", description = "Print everything as one JSON object.")
    boolean json;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Also draw the confusion matrix as PNG and SVG into this folder.")
    Path plots;

    @Option(names = "--batch-size", defaultValue = "64") int batchSize;

    @Override
    public Integer call() throws IOException {
        device.use(List.of(runtime.runtime()));
        precisionOption.use(List.of(runtime.runtime()));
        if (top < 0 || sequences < 0 || batchSize <= 0) {
            throw new XnerInputException("--top and --sequences must be >= 0, --batch-size > 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        ErrorAnalysis analysis;
        String what; // what was analysed, for the report's first words and the plot's title
        String note = null;
        Path modelDir = ModelArgument.fetch(model, spec.commandLine().getErr()).folder();
        try (Tokenizer tokenizer = Tokenizers.load(modelDir); LogitsModel classifier = runtime.runtime().load(modelDir)) {
            Dataset sentences;
            if (files.any()) { // the files of one split: --test, else --validation, else --train
                List<Path> paths = !files.test.isEmpty() ? files.test : !files.validation.isEmpty() ? files.validation : files.train;
                xner.data.CorpusFiles read;
                try (xner.tokenize.PreTokenizedWords words = new xner.tokenize.PreTokenizedWords(() -> modelDir)) {
                    read = files.read(paths, words);
                }
                read.schemes().forEach(line -> spec.commandLine().getErr().println("xner: " + line));
                sentences = read.dataset(classifier.labels(), "the model's");
                what = paths.stream().map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.joining("+"));
            } else {
                Map<String, DatasetDict> corpus = data.load(List.of(lang), spec.commandLine().getErr());
                sentences = corpus.get(lang).get(split);
                note = corpus.get(lang).note(split).orElse(null);
                what = lang + " " + split;
            }
            List<Example> examples = Example.encode(sentences, tokenizer, new LabelAligner(classifier.labels()));
            analysis = new ErrorAnalysis(ScoredTokens.run(classifier, examples, batchSize, tokenizer.padId()).sequenceLosses(tokenizer::idToToken),
                    classifier.labels());
        }
        Path[] drawn = new Path[0];
        if (plots != null) {
            drawn = Charts.write(Charts.confusion(analysis.confusion(), "Confusion matrix, " + what
                    + " (normalised)"), plots, "confusion-" + what.replaceAll("[^A-Za-z0-9.+-]", "-")).toArray(Path[]::new);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model.toString());
            if (files.any()) {
                m.put("data", what);
            } else {
                m.put("lang", lang);
                m.put("split", split);
            }
            if (note != null) m.put("note", note);
            m.putAll(analysis.toJson(top, sequences, token));
            if (drawn.length > 0) m.put("plots", List.of(drawn).stream().map(Path::toString).toList());
            out.println(JsonOutput.PRETTY.toJson(m));
        } else {
            out.printf("%s%s: ", what, note == null ? "" : " (* " + note + ")");
            out.print(analysis.report(top, sequences, token));
            for (Path p : drawn) out.println("wrote " + p);
        }
        out.flush();
        return Xner.EXIT_OK;
    }
}
