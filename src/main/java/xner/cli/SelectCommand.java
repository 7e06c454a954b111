package xner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.ColumnLayout;
import xner.data.CorpusFileConfig;
import xner.data.CorpusFiles;
import xner.infer.FileTagger;
import xner.infer.TagPipeline;
import xner.io.Durable;
import xner.select.Candidate;
import xner.select.PoolSelector;
import xner.select.Strategy;

/**
 * {@code xner select}: the texts of a pool most worth annotating, with the model's entities as pre-annotation:
 * {@code bin/xner select --model runs/de --input pool.txt --count 100 --output batch.jsonl}.
 */
@Command(name = "select", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Choose the texts of a pool most worth annotating (active learning): each text is scored by the "
                + "model, the --count best are written as tag's JSON Lines with their entities (a pre-annotation to "
                + "correct) and their \"score\", the one chosen first first.",
                "The pool streams through: memory holds the --count best records so far (a heap), one --chunk of records "
                        + "being tagged and the texts of --exclude, whatever the pool's size."})
public final class SelectCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin RuntimeOption runtime;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;
    @Mixin PipelineOptions pipelineOptions;
    @Mixin ColumnOptions columns;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A fine-tuned model folder.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "POOL",
            description = "The pool (- for standard input): text lines, JSON Lines with a \"text\" field (other fields are "
                    + "kept) or CoNLL sentences, as tag --input reads them.")
    Path input;

    @Option(names = "--count", required = true, paramLabel = "N", description = "How many texts to choose.")
    int count;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "Where the chosen texts go (JSON Lines); written under a temporary name and renamed when complete.")
    Path output;

    @Option(names = "--strategy", defaultValue = "mnlp", paramLabel = "mnlp|entropy|random",
            description = "mnlp: the lowest mean log-probability of each word's most probable tag (Shen et al. 2018; the "
                    + "least confident first); entropy: the highest mean entropy of each word's tag distribution; random: a "
                    + "seeded draw (default: ${DEFAULT-VALUE}). Words are scored at their first sub-token.")
    String strategy;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "The seed of --strategy random (default: ${DEFAULT-VALUE}): each distinct text's draw depends on it "
                    + "and on the text alone.")
    long seed;

    @Option(names = "--exclude", split = ",", paramLabel = "FILE",
            description = "Texts already annotated, never chosen: span files (Prodigy's, doccano's, tag's or select's JSON "
                    + "Lines; rejected and ignored records too), JSON Lines of tokens, or CoNLL (a sentence's words joined "
                    + "by spaces).")
    List<Path> exclude = new ArrayList<>();

    @Option(names = "--input-format", paramLabel = "text|jsonl|conll",
            description = "The pool's format (default: from its extension: .jsonl/.ndjson/.json, .conll/.iob/.bio, else text).")
    String inputFormat;

    @Option(names = "--max-skipped", defaultValue = "0", paramLabel = "N",
            description = "Records that may be skipped as malformed before the exit status says so (default: ${DEFAULT-VALUE}; "
                    + "more skipped: the output is still written, and the exit status is 3).")
    long maxSkipped;

    @Option(names = "--chunk", defaultValue = "512", paramLabel = "N",
            description = "Records read before they are tagged together, sorted by length into batches (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Override
    public Integer call() throws IOException {
        device.use(List.of(runtime.runtime()));
        precisionOption.use(List.of(runtime.runtime()));
        if (count < 1) throw new XnerInputException("--count must be >= 1, was " + count);
        if (chunk < 1) throw new XnerInputException("--chunk must be >= 1, was " + chunk);
        Strategy chosenBy = Strategy.parse(strategy, "--strategy");
        boolean stdin = input.toString().equals("-");
        FileTagger.InputFormat format = inputFormat != null ? FileTagger.InputFormat.parse(inputFormat, "--input-format")
                : stdin ? FileTagger.InputFormat.TEXT : FileTagger.InputFormat.of(input);
        if (format == FileTagger.InputFormat.DOCUMENTS) {
            throw new XnerInputException("--input-format: select reads a pool of texts: text, jsonl or conll, not documents");
        }
        ColumnLayout layout = columns.layout();
        if (!stdin && Files.isDirectory(input)) throw new XnerInputException(input + ": is a folder, expected a file");
        if (!stdin && !Files.isRegularFile(input)) throw new XnerInputException(input + ": no such file");
        if (!stdin) TagCommand.checkOutputIsNotInput(input, output);
        TagCommand.checkOutputCanBeWritten(output);
        PrintWriter err = spec.commandLine().getErr();
        Set<String> annotated = new HashSet<>();
        if (!exclude.isEmpty()) {
            annotated.addAll(CorpusFiles.texts(exclude, CorpusFileConfig.defaults().withColumns(layout)));
            err.printf("xner: %,d texts already annotated (--exclude) will not be chosen%n", annotated.size());
            err.flush();
        }
        TagPipeline.Options options = pipelineOptions.options();
        try (TagPipeline pipeline = TagPipeline.load(model, options, runtime.runtime())) {
            PoolSelector selector = new PoolSelector(pipeline, chosenBy, count, seed, annotated, chunk, err);
            Path name = stdin ? Path.of("<stdin>") : input;
            PoolSelector.Selection selection;
            try (InputStream in = stdin ? System.in : Files.newInputStream(input)) {
                selection = selector.select(format.reader(in, name, layout), stdin ? -1 : Files.size(input));
            }
            write(selection);
            err.println("xner: " + name + " → " + output + ": " + selection.summary() + scores(selection.chosen(), chosenBy));
            err.flush();
            if (selection.summary().skipped() > maxSkipped) {
                err.println("xner: " + selection.summary().skipped() + " records skipped (more than --max-skipped " + maxSkipped
                        + "): exit status " + Xner.EXIT_SKIPPED);
                err.flush();
                return Xner.EXIT_SKIPPED;
            }
        }
        return Xner.EXIT_OK;
    }

    /**
     * Writes the chosen records under a temporary name beside {@code --output} and renames it when complete, as
     * {@code tag --output} does: a run that fails or is stopped leaves no file under the final name that looks finished.
     */
    private void write(PoolSelector.Selection selection) throws IOException {
        Path partial = output.resolveSibling("." + output.getFileName() + ".partial");
        try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            selection.write(writer);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Durable.publish(partial, output);
    }

    /** The scores of the chosen texts, first and last chosen: what "most worth annotating" meant this time. */
    private static String scores(List<Candidate> chosen, Strategy strategy) {
        if (chosen.isEmpty()) return "";
        return String.format(Locale.ROOT, " (%s %.4f to %.4f)", strategy.wireName(), chosen.get(0).score(),
                chosen.get(chosen.size() - 1).score());
    }
}
