package xner.cli;

import com.google.gson.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.ColumnLayout;
import xner.data.DocumentExtractor;
import xner.data.DocumentFiles;
import xner.data.RecordReader;
import xner.infer.Aggregation;
import xner.infer.FileTagger;
import xner.infer.Prediction;
import xner.infer.TagPipeline;
import xner.infer.Tagged;
import xner.io.Durable;
import xner.model.ModelSource;

/**
 * {@code xner tag}: a text's sub-word tokens with the tag predicted for each (the chapter's {@code tag_text}
 * table), then its entities: {@code bin/xner tag --model runs/de "Jeff Dean ist ein Informatiker bei Google"}.
 * With {@code --input}, a whole file is tagged record by record.
 */
@Command(name = "tag", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tag a text: its tokens and predicted tags (the chapter's tag_text table), then its entities.",
                "Or tag a file with --input FILE --output FILE: plain-text lines, JSON Lines with a \"text\" field or "
                        + "CoNLL in; JSON Lines or CoNLL out.",
                "Or tag documents: --input a folder (its files recursively, in name order; --include '*.pdf') or one "
                        + "document, " + DocumentExtractor.FORMATS + ", each type detected from the content (Apache Tika, "
                        + "the module documents/, which bin/xner builds once). JSON Lines out, one record per document: "
                        + "source, content_type, text, entities (offsets into that text; for PDF the page of each)."})
public final class TagCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @picocli.CommandLine.Mixin RuntimeOption runtime;
    @picocli.CommandLine.Mixin DeviceOption device;
    @picocli.CommandLine.Mixin PrecisionOption precisionOption;
    @picocli.CommandLine.Mixin PipelineOptions pipelineOptions;
    @picocli.CommandLine.Mixin ColumnOptions columns;

    @Option(names = "--model", required = true, paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "A fine-tuned token classifier: its labels (id2label) are the tags." + ModelArgument.HELP)
    ModelSource model;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT", description = "The text to tag (or use --input).")
    String text;

    @Option(names = "--min-score", defaultValue = "0", paramLabel = "P",
            description = "Leave out entities scored below P (--json and JSON Lines output; CoNLL output keeps a tag for "
                    + "every word). With a calibrated model (train fits a temperature; xner calibrate for older models) a "
                    + "score means what it says (default: ${DEFAULT-VALUE}, keep all).")
    double minScore;

    @Option(names = "--aggregation", defaultValue = "first", paramLabel = "STRATEGY",
            description = "How tokens become entities: none, simple, first, average or max (default: ${DEFAULT-VALUE}, "
                    + "so that a word is never split between two entities; transformers' pipeline defaults to none).")
    String aggregation;

    @Option(names = "--json", description = "Print the pipeline's JSON (entities, or tokens with --aggregation none) "
            + "instead of the tables.")
    boolean json;

    @Option(names = "--input", paramLabel = "FILE|FOLDER", description = "Tag this file (- for standard input) instead of TEXT; "
            + "a folder or a document (" + DocumentExtractor.FORMATS + ") is read as documents.")
    Path input;

    @Option(names = "--include", paramLabel = "GLOB", description = "With a folder of documents: only the files whose name "
            + "matches GLOB ('*.pdf'); repeat for several (default: every file not hidden).")
    List<String> include = new ArrayList<>();

    @Option(names = "--no-text", description = "Leave the \"text\" field out of the JSON Lines output (a document's "
            + "entities keep their offsets into the text extracted).")
    boolean noText;

    @Option(names = "--max-document-chars", defaultValue = "10000000", paramLabel = "N",
            description = "Characters extracted from a document, at most; a longer one is skipped, saying so "
                    + "(default: ${DEFAULT-VALUE}, some 3,000 dense pages).")
    int maxDocumentChars;

    @Option(names = "--document-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Time to extract a document's text, at most; a slower one is skipped, saying so "
                    + "(default: ${DEFAULT-VALUE}).")
    long documentTimeout;

    @Option(names = "--max-skipped", defaultValue = "0", paramLabel = "N",
            description = "Records (or documents) --input may skip as malformed before the exit status says so (default: ${DEFAULT-VALUE}; "
                    + "more skipped: the output is still written, and the exit status is 3).")
    long maxSkipped;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "-",
            description = "Where --input's results go (default: standard output).")
    Path output;

    @Option(names = "--input-format", paramLabel = "text|jsonl|conll|documents",
            description = "The input's format (default: documents for a folder or a document, by its first bytes or name; "
                    + "else from its extension: .jsonl/.ndjson/.json, .conll/.iob/.bio, else text).")
    String inputFormat;

    @Option(names = "--format", paramLabel = "jsonl|conll",
            description = "The output's format (default: conll for a .conll/.iob/.bio output, else jsonl).")
    String format;

    @Option(names = "--chunk", defaultValue = "512", paramLabel = "N",
            description = "Records of an --input file read before they are tagged together: sorted by length into "
                    + "batches, they need less padding (default: ${DEFAULT-VALUE}; 1 answers each line as it comes). "
                    + "Documents are tagged one at a time, their windows together.")
    int chunk;

    @Override
    public Integer call() throws IOException {
        if (!(minScore >= 0 && minScore <= 1)) throw new XnerInputException("--min-score must be between 0 and 1, was " + minScore);
        device.use(List.of(runtime.runtime()));
        precisionOption.use(List.of(runtime.runtime()));
        if ((text == null) == (input == null)) throw new XnerInputException("give either a TEXT or --input FILE");
        if (input == null && (inputFormat != null || format != null)) {
            throw new XnerInputException("--input-format and --format apply to --input files only");
        }
        if (chunk < 1) throw new XnerInputException("--chunk must be >= 1, was " + chunk);
        Aggregation strategy = Aggregation.parse(aggregation, "--aggregation");
        runtime.runtime(); // a bad --runtime is named before anything loads
        TagPipeline.Options options = pipelineOptions.options();
        if (input == null) {
            try (TagPipeline pipeline = TagPipeline.load(modelFolder(), options, runtime.runtime())) {
                return tagText(pipeline, strategy);
            }
        }
        // everything about the files is checked before the model loads
        boolean stdin = input.toString().equals("-");
        boolean stdout = output.toString().equals("-");
        FileTagger.InputFormat in = inputFormat != null ? FileTagger.InputFormat.parse(inputFormat, "--input-format")
                : stdin ? FileTagger.InputFormat.TEXT : inputFormatOf(input);
        FileTagger.OutputFormat out = format != null ? FileTagger.OutputFormat.parse(format, "--format")
                : stdout ? FileTagger.OutputFormat.JSONL : FileTagger.OutputFormat.of(output);
        if (out == FileTagger.OutputFormat.CONLL && !strategy.wordLevel()) {
            throw new XnerInputException("--format conll writes one tag per word: it needs --aggregation first, average or max, not "
                    + strategy.wireName());
        }
        if (noText && out == FileTagger.OutputFormat.CONLL) throw new XnerInputException("--no-text applies to JSON Lines output");
        if (in == FileTagger.InputFormat.DOCUMENTS) {
            Documents documents = documents(stdin, stdout, out);
            try (TagPipeline pipeline = TagPipeline.load(modelFolder(), options, runtime.runtime())) {
                return tagDocuments(pipeline, strategy, documents, stdout);
            }
        }
        if (!include.isEmpty()) throw new XnerInputException("--include applies to a folder of documents");
        ColumnLayout layout = columns.layout();
        if (!stdin && Files.isDirectory(input)) {
            throw new XnerInputException(input + ": is a folder; --input-format " + inputFormat + " reads a file");
        }
        if (!stdin && !Files.isRegularFile(input)) throw new XnerInputException(input + ": no such file");
        if (!stdin && !stdout) checkOutputIsNotInput(input, output);
        if (!stdout) checkOutputCanBeWritten(output);
        try (TagPipeline pipeline = TagPipeline.load(modelFolder(), options, runtime.runtime())) {
            return tagFile(pipeline, strategy, in, layout, out, stdin, stdout);
        }
    }

    /** Documents for a folder, or for a file whose first bytes or name say document; else by its extension. */
    static FileTagger.InputFormat inputFormatOf(Path input) {
        if (Files.isDirectory(input)) return FileTagger.InputFormat.DOCUMENTS;
        FileTagger.InputFormat byName = FileTagger.InputFormat.of(input);
        if (byName == FileTagger.InputFormat.TEXT && Files.isRegularFile(input) && DocumentFiles.isDocument(input)) {
            return FileTagger.InputFormat.DOCUMENTS;
        }
        return byName;
    }

    /** The documents to tag and what reads them, all checked before the model loads. */
    private record Documents(List<Path> files, DocumentExtractor extractor, DocumentExtractor.Limits limits) {}

    private Documents documents(boolean stdin, boolean stdout, FileTagger.OutputFormat out) throws IOException {
        if (stdin) throw new XnerInputException("--input -: documents are read from a file or a folder, not standard input");
        if (out != FileTagger.OutputFormat.JSONL) throw new XnerInputException("documents are written as JSON Lines: --format jsonl");
        if (!Files.exists(input)) throw new XnerInputException(input + ": no such file or folder");
        if (documentTimeout < 1) throw new XnerInputException("--document-timeout must be >= 1 second, was " + documentTimeout);
        if (maxDocumentChars < 1) throw new XnerInputException("--max-document-chars must be >= 1, was " + maxDocumentChars);
        DocumentExtractor.Limits limits = new DocumentExtractor.Limits(maxDocumentChars, Duration.ofSeconds(documentTimeout));
        List<Path> files;
        if (Files.isDirectory(input)) {
            files = new ArrayList<>(DocumentFiles.list(input, include));
            // a previous run's output inside the folder is not a document to tag
            if (!stdout && Files.exists(output)) files.removeIf(f -> sameFile(f, output));
            if (files.isEmpty()) {
                throw new XnerInputException(input + ": no documents in the folder" + (include.isEmpty() ? ""
                        : " whose name matches --include " + String.join(", ", include)));
            }
        } else {
            if (!include.isEmpty()) throw new XnerInputException("--include applies to a folder; " + input + " is a file");
            if (!stdout) checkOutputIsNotInput(input, output);
            files = List.of(input);
        }
        if (!stdout) checkOutputCanBeWritten(output);
        DocumentExtractor extractor = DocumentExtractor.require();
        return new Documents(files, extractor, limits);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private Path modelFolder() {
        return ModelArgument.fetch(model, spec.commandLine().getErr()).folder();
    }

    private int tagText(TagPipeline pipeline, Aggregation strategy) {
        PrintWriter out = spec.commandLine().getOut();
        Tagged tagged = pipeline.tag(text);
        List<Prediction> predictions = tagged.predict(strategy, Aggregation.IGNORED_BY_DEFAULT, minScore);
        if (json) {
            JsonArray array = new JsonArray();
            for (Prediction p : predictions) array.add(p.toJson());
            out.println(array);
            out.flush();
            return Xner.EXIT_OK;
        }
        print(out, tagged.tokenStrings(), tagged.tokenTags());
        out.println();
        printPredictions(out, predictions, strategy);
        return Xner.EXIT_OK;
    }

    private int tagFile(TagPipeline pipeline, Aggregation strategy, FileTagger.InputFormat in, ColumnLayout layout,
            FileTagger.OutputFormat out, boolean stdin, boolean stdout) throws IOException {
        FileTagger tagger = fileTagger(pipeline, strategy, chunk);
        Path name = stdin ? Path.of("<stdin>") : input;
        return write(tagger, name, stdout, writer -> {
            try (InputStream stream = stdin ? System.in : Files.newInputStream(input)) {
                return tagger.tag(in.reader(stream, name, layout), stdin ? -1 : Files.size(input), writer, out);
            }
        });
    }

    /**
     * Documents are tagged one at a time (a chunk of one record): a document's windows still go to the model in
     * batches, and memory is bounded by the largest document rather than by a chunk of them.
     */
    private int tagDocuments(TagPipeline pipeline, Aggregation strategy, Documents documents, boolean stdout) throws IOException {
        FileTagger tagger = fileTagger(pipeline, strategy, 1);
        long bytes = 0;
        for (Path f : documents.files()) bytes += Files.size(f);
        long total = bytes;
        return write(tagger, input, stdout, writer -> tagger.tag(
                RecordReader.documents(documents.files(), documents.extractor(), documents.limits()), total, writer,
                FileTagger.OutputFormat.JSONL));
    }

    private FileTagger fileTagger(TagPipeline pipeline, Aggregation strategy, int records) {
        FileTagger tagger = new FileTagger(pipeline, strategy, records, spec.commandLine().getErr()).withMinScore(minScore);
        return noText ? tagger.withoutText() : tagger;
    }

    /** What tags into the writer it is given. */
    private interface Tagging {
        FileTagger.Summary into(Writer writer) throws IOException;
    }

    private int write(FileTagger tagger, Path name, boolean stdout, Tagging tagging) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        // the output is written under a temporary name beside it and renamed when complete: a run that fails,
        // is stopped or is killed leaves no file under the final name that looks finished
        Path partial = stdout ? null : output.resolveSibling("." + output.getFileName() + ".partial");
        FileTagger.Summary summary;
        // Ctrl-C or SIGTERM: say how far the run got; the output stays under its temporary name, never the final one
        Thread onStop = new Thread(() -> {
            err.println(System.lineSeparator() + stopped(tagger, name, partial));
            err.flush();
        }, "xner-tag-stopped");
        Runtime.getRuntime().addShutdownHook(onStop);
        boolean exiting = false;
        try (Writer writer = stdout ? null : Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            summary = tagging.into(writer == null ? spec.commandLine().getOut() : writer);
        } catch (NoSuchFileException e) {
            if (partial != null) Files.deleteIfExists(partial);
            throw new XnerInputException(e.getFile() + ": no such file or folder");
        } catch (IOException | RuntimeException e) {
            if (partial == null) throw e;
            if (tagger.written() == 0) {
                Files.deleteIfExists(partial); // nothing worth keeping, and no hidden file left behind
                throw e;
            }
            // what was written stays, whole records, as after Ctrl-C; the message says where and how far
            err.println("xner: failed: " + stopped(tagger, name, partial).substring("xner: stopped: ".length()));
            err.flush();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onStop);
            } catch (IllegalStateException e) {
                exiting = true; // the process is exiting and the hook says the output is not complete: keep it so
            }
        }
        if (exiting) return Xner.EXIT_FAILURE;
        if (partial != null) Durable.publish(partial, output);
        err.println("xner: " + name + (stdout ? "" : " → " + output) + ": " + summary);
        err.flush();
        if (summary.skipped() > maxSkipped) {
            String what = summary.unit().equals("documents") ? " document" : " record";
            err.println("xner: " + summary.skipped() + what + (summary.skipped() == 1 ? "" : "s")
                    + " skipped (more than --max-skipped " + maxSkipped
                    + "): exit status " + Xner.EXIT_SKIPPED);
            err.flush();
            return Xner.EXIT_SKIPPED;
        }
        return Xner.EXIT_OK;
    }

    /** What a run stopped before its end says: the records written, where they are, that the output is not complete. */
    private String stopped(FileTagger tagger, Path name, Path partial) {
        String records = String.format("%,d record%s", tagger.written(), tagger.written() == 1 ? "" : "s");
        String upTo = String.format("(input read to line %,d)", tagger.linesRead());
        if (partial == null) {
            return "xner: stopped: " + records + " of " + name + " written to standard output " + upTo
                    + "; the output is not complete";
        }
        return "xner: stopped: " + records + " of " + name + " written to " + partial + " " + upTo + "; the output is not "
                + "complete, and " + output + " was not written";
    }

    /**
     * Refuses, before the model loads, an {@code --output} that names a folder or lies in a folder that is missing or
     * cannot be written: after the whole input was tagged, the rename at the end would fail.
     */
    static void checkOutputCanBeWritten(Path output) {
        if (Files.isDirectory(output)) {
            throw new XnerInputException("--output " + output + ": is a folder; give the name of the file to write");
        }
        Path folder = output.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new XnerInputException("--output " + output + ": the folder " + (folder == null ? "" : folder + " ")
                    + "does not exist");
        }
        if (!Files.isWritable(folder)) throw new XnerInputException("--output " + output + ": cannot write in " + folder);
    }

    /** Refuses an output that is the input (or a link to it): writing it would destroy the input first. */
    static void checkOutputIsNotInput(Path input, Path output) throws IOException {
        if (!Files.exists(output)) return;
        if (Files.isSameFile(input, output)) {
            throw new XnerInputException("--output " + output + " is the input file " + input
                    + ": tagging would overwrite it; give another output path");
        }
    }

    /** Two aligned rows, Tokens and Tags, as the chapter's DataFrame prints them. */
    static void print(PrintWriter out, List<String> tokens, List<String> tags) {
        StringBuilder top = new StringBuilder("Tokens");
        StringBuilder bottom = new StringBuilder("Tags  ");
        for (int i = 0; i < tokens.size(); i++) {
            int width = Math.max(tokens.get(i).length(), tags.get(i).length());
            top.append("  ").append(String.format("%-" + width + "s", tokens.get(i)));
            bottom.append("  ").append(String.format("%-" + width + "s", tags.get(i)));
        }
        out.println(top.toString().stripTrailing());
        out.println(bottom.toString().stripTrailing());
        out.flush();
    }

    /** The entities (or tagged tokens) one per line: label, score, start, end, the text's words. */
    static void printPredictions(PrintWriter out, List<Prediction> predictions, Aggregation strategy) {
        String what = strategy == Aggregation.NONE ? "tokens" : "entities";
        if (predictions.isEmpty()) {
            out.println("No " + what + " found (aggregation " + strategy.wireName() + ").");
            out.flush();
            return;
        }
        int labelWidth = Math.max(6, predictions.stream().mapToInt(p -> p.label().length()).max().orElse(0));
        out.println(capitalised(what) + " (aggregation " + strategy.wireName() + "):");
        out.printf("  %-" + labelWidth + "s  %6s  %5s  %5s  %s%n", strategy == Aggregation.NONE ? "Tag" : "Entity", "Score",
                "Start", "End", "Word");
        for (Prediction p : predictions) {
            out.printf(Locale.ROOT, "  %-" + labelWidth + "s  %6.4f  %5d  %5d  %s%n", p.label(), p.score(), p.start(), p.end(),
                    p.word().replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"));
        }
        out.flush();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
