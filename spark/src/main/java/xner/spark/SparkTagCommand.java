package xner.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.ExitGate;
import xner.XnerInputException;
import xner.data.DocumentExtractor;
import xner.data.FileExtension;
import xner.data.Progress;
import xner.infer.Aggregation;
import xner.infer.ModelRuntime;
import xner.data.HubDownloader;
import xner.model.LocalModel;
import xner.model.ModelSource;
import xner.model.Precision;
import xner.infer.TagPipeline;

/**
 * {@code xner spark-tag}: a corpus tagged on Spark, by default an embedded local one, so that it runs on a laptop
 * with nothing installed: {@code bin/xner spark-tag --model runs/de --input docs.parquet --output tagged.parquet}.
 * Parquet, JSON Lines or text lines in; Parquet or JSON Lines out (a folder of part files, as Spark writes), each
 * input row with its entities. The output is written under {@code .NAME.partial} beside it and renamed when the job
 * has finished: a run that fails leaves no folder under the final name.
 */
@Command(name = "spark-tag", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tag a corpus on Apache Spark (embedded local Spark by default): Parquet, JSON Lines or text "
                + "lines in; Parquet or JSON Lines out, every row with an \"entities\" column.",
                "Or a folder of documents with --input-format documents (" + DocumentExtractor.FORMATS + ", each type "
                        + "detected from its content by Apache Tika, on the executors): one row per document, with the "
                        + "columns of tag's JSON Lines: source, content_type, text, entities (for PDF with the page of each)."})
public final class SparkTagCommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_SKIPPED = 3;

    /** The kinds of input. */
    enum InputFormat {
        PARQUET, JSONL, TEXT,
        /** A folder of documents (Spark's binaryFile source), each one row: only when --input-format says so. */
        DOCUMENTS;

        /** From the name's extension ({@code .parquet}; {@code .jsonl}, {@code .ndjson}, {@code .json}); a folder by its files'. */
        static InputFormat of(String path) {
            InputFormat byName = byName(path);
            if (byName != null) return byName;
            Path local = localPath(path);
            if (local != null && Files.isDirectory(local)) {
                try (Stream<Path> files = Files.list(local)) {
                    return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.startsWith("_"))
                            .map(InputFormat::byName).filter(f -> f != null).findFirst().orElse(TEXT);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return TEXT;
        }

        private static InputFormat byName(String name) {
            FileExtension named = FileExtension.of(name);
            if (named == FileExtension.PARQUET) return PARQUET;
            if (named == FileExtension.JSON_LINES) return JSONL;
            return null;
        }

        static InputFormat parse(String name) {
            for (InputFormat f : values()) if (f.name().equalsIgnoreCase(name)) return f;
            throw new XnerInputException("--input-format: unknown format \"" + name + "\" (expected parquet, jsonl, text or documents)");
        }
    }

    /** The kinds of output. */
    enum OutputFormat {
        PARQUET, JSONL;

        static OutputFormat of(String path) {
            return FileExtension.of(path) == FileExtension.PARQUET ? PARQUET : JSONL;
        }

        static OutputFormat parse(String name) {
            for (OutputFormat f : values()) if (f.name().equalsIgnoreCase(name)) return f;
            throw new XnerInputException("--format: unknown format \"" + name + "\" (expected parquet or jsonl)");
        }
    }

    @Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin xner.cli.PipelineOptions pipelineOptions;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A fine-tuned model folder, readable at this path by every executor; or ORG/NAME[@REVISION] that "
                    + "is not a folder here, a model on the Hugging Face hub, fetched by the driver into huggingface_hub's "
                    + "cache (HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE), whose snapshot folder the executors "
                    + "then read: on a cluster, put that cache on a file system they share.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file or folder (Parquet, JSON Lines or text).")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH",
            description = "The output folder (Parquet for a .parquet name, else JSON Lines); replaced when the job succeeds.")
    String output;

    @Option(names = "--text-column", defaultValue = "text", paramLabel = "NAME",
            description = "The string column to tag (default: ${DEFAULT-VALUE}); for text input, the name the lines get.")
    String textColumn;

    @Option(names = "--output-column", defaultValue = "entities", paramLabel = "NAME",
            description = "The column of entities added (default: ${DEFAULT-VALUE}).")
    String outputColumn;

    @Option(names = "--master", defaultValue = "local[*]", paramLabel = "URL",
            description = "Spark's master (default: ${DEFAULT-VALUE}, an embedded Spark on this machine's cores); "
                    + "ignored under spark-submit, which sets it.")
    String master;

    @Option(names = "--input-format", paramLabel = "parquet|jsonl|text|documents",
            description = "The input's format (default: from its name; documents only when given).")
    String inputFormat;

    @Option(names = "--include", paramLabel = "GLOB", description = "With documents: only the files whose name matches "
            + "GLOB ('*.pdf'); repeat for several (default: every file not hidden).")
    List<String> include = new ArrayList<>();

    @Option(names = "--no-text", description = "With documents: leave the text column out of the output.")
    boolean noText;

    @Option(names = "--max-document-chars", defaultValue = "10000000", paramLabel = "N",
            description = "With documents: characters extracted from one, at most; a longer one is skipped (default: ${DEFAULT-VALUE}).")
    int maxDocumentChars;

    @Option(names = "--document-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "With documents: time to extract one, at most; a slower one is skipped (default: ${DEFAULT-VALUE}).")
    long documentTimeout;

    @Option(names = "--max-skipped", defaultValue = "0", paramLabel = "N",
            description = "With documents: documents that may be skipped as unreadable before the exit status says so "
                    + "(default: ${DEFAULT-VALUE}; more: the output is still written, and the exit status is 3).")
    long maxSkipped;

    @Option(names = "--format", paramLabel = "parquet|jsonl", description = "The output's format (default: from its name).")
    String format;

    @Option(names = "--runtime", defaultValue = "libtorch", paramLabel = "libtorch|onnx|onnx-int8",
            description = "What runs the model on the executors: libtorch (model.safetensors, default), onnx (model.onnx) "
                    + "or onnx-int8 (model_quantized.onnx), the files xner export writes.")
    String runtime;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|auto",
            description = "libtorch's matrix products: fp32 (default); bf16 as PyTorch's CPU autocast, on CPUs with bf16 units "
                    + "(amx_bf16, avx512_bf16); auto: bf16 where an executor's CPU has them.")
    String precision;

    @Option(names = "--aggregation", defaultValue = "first", paramLabel = "STRATEGY",
            description = "none, simple, first, average or max (default: ${DEFAULT-VALUE}).")
    String aggregation;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Split text and JSON Lines files into at least N partitions, in file order (default: Spark's "
                    + "parallelism, the cores of local[*]). Parquet splits by row group.")
    int partitions;

    @Option(names = "--chunk", defaultValue = "512", paramLabel = "N",
            description = "Rows of a partition tagged together, sorted by length into passes (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--stacktrace", description = "Print the full stack trace of an error.")
    boolean stacktrace;

    public static void main(String[] args) {
        // Ctrl-C or SIGTERM: the exit waits for the tasks to be between two forward passes, not inside the model
        ExitGate.installShutdownHook(System.err);
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: one exception handler, one exit-code mapping, as {@code xner}'s. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SparkTagCommand());
        cli.setExecutionExceptionHandler(SparkTagCommand::handle);
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_BAD_INPUT : EXIT_FAILURE);
        return cli;
    }

    @Override
    public Integer call() throws IOException {
        // everything that can be checked before Spark starts is checked here
        Aggregation strategy = Aggregation.parse(aggregation, "--aggregation");
        ModelRuntime modelRuntime = ModelRuntime.parse(runtime, "--runtime");
        Precision.parse(precision, "--precision"); // here as on a local executor; a cluster's executors check their own CPU
        if (modelRuntime != ModelRuntime.LIBTORCH && precision.trim().equalsIgnoreCase("bf16")) {
            throw new XnerInputException("--precision bf16: ONNX Runtime runs the exported model's own types; bf16 is for "
                    + "--runtime libtorch");
        }
        TagPipeline.Options options = pipelineOptions.options();
        if (chunk < 1) throw new XnerInputException("--chunk must be >= 1, was " + chunk);
        if (partitions < 0) throw new XnerInputException("--partitions must be >= 0, was " + partitions);
        InputFormat in = inputFormat != null ? InputFormat.parse(inputFormat) : InputFormat.of(input);
        boolean documents = in == InputFormat.DOCUMENTS;
        if (!documents && (!include.isEmpty() || noText)) throw new XnerInputException("--include and --no-text apply to --input-format documents");
        if (documents) {
            if (documentTimeout < 1) throw new XnerInputException("--document-timeout must be >= 1 second, was " + documentTimeout);
            DocumentExtractor.require(); // the module's jars are here, as the executors' (spark-submit: in --jars)
            textColumn = "text";
        }
        DocumentExtractor.Limits limits = new DocumentExtractor.Limits(maxDocumentChars, Duration.ofSeconds(Math.max(1, documentTimeout)));
        OutputFormat out = format != null ? OutputFormat.parse(format) : OutputFormat.of(output);
        Path localInput = localPath(input);
        if (localInput != null && !Files.exists(localInput)) throw new XnerInputException("--input " + input + ": no such file or folder");
        Path localModel = localPath(model);
        boolean local = master.startsWith("local");
        if (localModel != null && !Files.isDirectory(localModel) && ModelSource.parse(model) instanceof ModelSource.Hub hub) {
            LocalModel fetched = hub.fetch(HubDownloader.fromEnvironment());
            spec.commandLine().getErr().println("xner: model " + fetched.describe() + " in " + fetched.folder());
            localModel = fetched.folder();
        }
        if (local && localModel != null) {
            // executors of a cluster check for themselves (naming their host); here they are this process
            if (!Files.isDirectory(localModel)) throw new XnerInputException("--model " + model + ": no such folder");
            if (!Files.isReadable(localModel.resolve("config.json"))) {
                throw new XnerInputException("--model " + model + ": no readable config.json: not a model folder");
            }
        }
        // locally the executor is this process; on a cluster a relative path is the executors' (--archives unpacks
        // into their working directory), so it travels as given
        String modelPath = localModel != null && (local || !localModel.equals(Path.of(model)))
                ? localModel.toAbsolutePath().toString() : model;

        PrintWriter err = spec.commandLine().getErr();
        SparkSession.Builder builder = SparkSession.builder().appName("xner spark-tag");
        if (!System.getProperties().containsKey("spark.master")) builder.master(master); // spark-submit sets it
        if (local) builder.config("spark.ui.enabled", "false");
        SparkSession spark = builder.getOrCreate();
        try {
            // a file is cut into enough splits for every core: Spark's default charges 4 MB a file and makes one split
            // of a small corpus. Splits, unlike repartition(), keep the file's order.
            int wanted = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            spark.conf().set("spark.sql.files.minPartitionNum", Integer.toString(wanted));
            spark.conf().set("spark.sql.files.openCostInBytes", "0");
            LongAccumulator skipped = spark.sparkContext().longAccumulator("documents skipped");
            Dataset<Row> rows = documents ? documents(spark, limits, skipped) : read(spark, in);
            checkColumn(rows.schema());
            EntityTagger tagger = new EntityTagger().setModelPath(modelPath).setInputCol(textColumn).setOutputCol(outputColumn)
                    .setAggregation(strategy.wireName()).setBatchSize(options.batchSize()).setMaxTokens(options.maxTokens())
                    .setMaxLength(options.maxLength()).setStride(options.stride()).setChunkSize(chunk)
                    .setRuntime(modelRuntime.wireName()).setPrecision(precision.trim().toLowerCase(java.util.Locale.ROOT));
            Dataset<Row> tagged = tagger.transform(rows);
            if (documents) {
                tagged = tagged.mapPartitions(new EntityPages(tagged.schema(), outputColumn),
                        Encoders.row(EntityPages.schema(tagged.schema(), outputColumn)));
                if (noText) tagged = tagged.drop("text");
            }

            Path localOutput = localPath(output);
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(
                    localOutput != null ? localOutput.toAbsolutePath().toUri().toString() : output);
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            org.apache.hadoop.fs.Path partial = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".partial");
            ProgressListener listener = new ProgressListener(Progress.to(err));
            spark.sparkContext().addSparkListener(listener);
            try {
                var writer = tagged.write().mode(SaveMode.Overwrite);
                if (out == OutputFormat.PARQUET) writer.parquet(partial.toString());
                else writer.option("ignoreNullFields", "false").json(partial.toString()); // every column on every line
            } catch (Throwable e) { // SparkException too, a checked exception Scala throws undeclared
                if (ExitGate.PROCESS.stopping()) {
                    // Spark's own shutdown cancelled the job: say so in one line rather than as a failure
                    err.println("xner: stopped (Ctrl-C or SIGTERM) before the job finished: nothing was written to " + output
                            + "; the job's partial output is removed");
                    err.flush();
                    deleteQuietly(fs, partial);
                    return EXIT_FAILURE;
                }
                fs.delete(partial, true);
                throw e;
            } finally {
                spark.sparkContext().removeSparkListener(listener);
            }
            // the job has finished: only now does the output take its name
            if (fs.exists(target) && !fs.delete(target, true)) throw new IOException("cannot replace " + target);
            if (!fs.rename(partial, target)) throw new IOException("cannot rename " + partial + " to " + target);
            listener.finish();
            err.printf(Locale.ROOT, "xner: %s → %s: %,d rows tagged in %d partitions, %.1f rows/s%n", input, output,
                    listener.rows, listener.tasks, listener.rows / listener.progress.seconds());
            if (documents) {
                // each skipped document was named by its executor, on its standard error (here when local)
                long n = skipped.value();
                err.printf(Locale.ROOT, "xner: %,d document%s skipped (could not be read)%n", n, n == 1 ? "" : "s");
                if (n > maxSkipped) {
                    err.println("xner: more than --max-skipped " + maxSkipped + " documents skipped: exit status " + EXIT_SKIPPED);
                    err.flush();
                    return EXIT_SKIPPED;
                }
            }
            err.flush();
            return EXIT_OK;
        } finally {
            spark.stop();
        }
    }

    /** Deletes during the exit, when Hadoop's own shutdown may have closed the file system already. */
    private static void deleteQuietly(FileSystem fs, org.apache.hadoop.fs.Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException | RuntimeException e) {
            // the exit goes on; the partial output keeps its temporary name, never the final one
        }
    }

    private Dataset<Row> read(SparkSession spark, InputFormat in) {
        return switch (in) {
            case PARQUET -> spark.read().parquet(input);
            // strict: a malformed line fails the job, naming it, rather than becoming a row of nulls
            case JSONL -> spark.read().option("mode", "FAILFAST").json(input);
            case TEXT -> spark.read().text(input).withColumnRenamed("value", textColumn);
            case DOCUMENTS -> throw new IllegalStateException("documents are read by documents()");
        };
    }

    /**
     * A folder's documents (Spark's binaryFile source, recursively; --include as its path glob filter), their text
     * extracted on the executors: one row of {@link DocumentTexts#schema} per document that can be read.
     */
    private Dataset<Row> documents(SparkSession spark, DocumentExtractor.Limits limits, LongAccumulator skipped) {
        var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        if (!include.isEmpty()) {
            reader = reader.option("pathGlobFilter", include.size() == 1 ? include.get(0) : "{" + String.join(",", include) + "}");
        }
        reportEmptyFiles(spark, skipped);
        return reader.load(input).mapPartitions(new DocumentTexts(limits, skipped), Encoders.row(DocumentTexts.schema()));
    }

    /**
     * Spark's file sources leave out files of 0 bytes without a word: they are named and counted here, on the driver,
     * as the executors name the other documents that cannot be read.
     */
    private void reportEmptyFiles(SparkSession spark, LongAccumulator skipped) {
        Path local = localPath(input);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(local != null ? local.toAbsolutePath().toUri().toString() : input);
        List<java.nio.file.PathMatcher> globs = include.stream()
                .map(g -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        PrintWriter err = spec.commandLine().getErr();
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            var files = fs.listFiles(root, true);
            while (files.hasNext()) {
                var f = files.next();
                if (f.getLen() > 0 || hidden(root, f.getPath())) continue;
                Path name = Path.of(f.getPath().getName());
                if (!globs.isEmpty() && globs.stream().noneMatch(m -> m.matches(name))) continue;
                err.println("xner: " + f.getPath() + ": empty file (0 bytes); skipped");
                skipped.add(1);
            }
        } catch (IOException e) {
            throw new XnerInputException("--input " + input + ": cannot list the folder: " + e.getMessage());
        }
    }

    /** Whether Spark's listing leaves the file out: a name below the root starting with "." or "_". */
    private static boolean hidden(org.apache.hadoop.fs.Path root, org.apache.hadoop.fs.Path file) {
        for (org.apache.hadoop.fs.Path p = file; p != null && !p.equals(root) && p.getParent() != null; p = p.getParent()) {
            if (p.getName().startsWith(".") || p.getName().startsWith("_")) return true;
        }
        return false;
    }

    private void checkColumn(StructType schema) {
        if (!Arrays.asList(schema.fieldNames()).contains(textColumn)) {
            throw new XnerInputException("--text-column " + textColumn + ": " + input + " has no such column (its columns: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        StructField field = schema.apply(textColumn);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new XnerInputException("--text-column " + textColumn + ": in " + input + " it is " + field.dataType().simpleString()
                    + ", not a string");
        }
        if (Arrays.asList(schema.fieldNames()).contains(outputColumn)) {
            throw new XnerInputException("--output-column " + outputColumn + ": " + input + " has a column of that name already");
        }
    }

    /** A path on this machine's file system, or null for a URI of another ({@code hdfs://}, {@code s3a://}). */
    static Path localPath(String path) {
        if (path.startsWith("file:")) return ExecutorModels.resolve(path);
        if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) return null;
        return Path.of(path);
    }

    /** The progress line: partitions written of the write's stage, rows, rows per second. */
    static final class ProgressListener extends SparkListener {
        final Progress progress;
        volatile int tasks;
        volatile int done;
        volatile long rows;

        ProgressListener(Progress progress) {
            this.progress = progress;
        }

        @Override
        public synchronized void onStageSubmitted(SparkListenerStageSubmitted stage) {
            tasks = stage.stageInfo().numTasks();
            done = 0;
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
            if (!task.taskInfo().successful()) return; // a failed job says why in one line of its own
            done++;
            if (task.taskMetrics() != null) rows += task.taskMetrics().outputMetrics().recordsWritten();
            progress.update(tasks > 0 ? done / (double) tasks : -1, line());
        }

        synchronized void finish() {
            progress.finish(line());
        }

        private String line() {
            return String.format(Locale.ROOT, "spark-tag: %d/%d partitions, %,d rows, %.1f rows/s", done, tasks, rows,
                    rows / progress.seconds());
        }
    }

    /** One line for a user: the first {@link XnerInputException} among the causes (an executor's arrives wrapped), else the error's. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        Throwable reason = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof XnerInputException) {
                reason = t;
                break;
            }
        }
        boolean bad = reason instanceof XnerInputException || reason instanceof AnalysisException;
        if (parsed.hasMatchedOption("--stacktrace")) e.printStackTrace(err);
        else err.println("xner: " + firstLine(reason) + (bad ? "" : "  (--stacktrace for details)"));
        err.flush();
        return bad ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.toString();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
