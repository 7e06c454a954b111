package xner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.infer.Aggregation;
import xner.infer.EntityGroup;
import xner.infer.FileTagger;
import xner.infer.Prediction;
import xner.infer.TagPipeline;
import xner.model.BertConfig;
import xner.model.LocalModel;
import xner.model.ModelSource;
import xner.serve.AnnotateServer;
import xner.serve.AnnotationBatch;
import xner.serve.DecisionLog;
import xner.tokenize.PreTokenizedWords;

/**
 * {@code xner annotate}: a page to correct a batch's entities, one text at a time, each decision on disk before the
 * page moves on: {@code bin/xner annotate --model runs/de --input batch.jsonl --output annotated.jsonl}.
 */
@Command(name = "annotate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a page to correct the entities of a batch (select's output, or texts the model pre-annotates), "
                + "one text at a time: select characters (snapped to words) and press 1-9 for a type, click an entity to "
                + "change (1-9) or delete it, Enter accepts, x rejects, s skips, u undoes.",
                "Every decision is appended to --output (Prodigy's layout: text, spans, answer; train reads it) and forced "
                        + "to disk before the page moves on; started again, it goes on with the first undecided text.",
                "The batch is held in memory (at most " + (AnnotationBatch.MAX_BYTES >> 20) + " MB). SIGTERM or Ctrl-C: "
                        + "the decisions under way are written, then the server stops (exit 0)."})
public final class AnnotateCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "The model whose tokenizer cuts texts into words (selections snap to them, as train reads spans "
                    + "back), whose labels are the types (unless --labels) and which pre-annotates texts the batch gives no "
                    + "entities for." + ModelArgument.HELP)
    ModelSource model;

    @Option(names = "--input", required = true, paramLabel = "BATCH",
            description = "The texts: JSON Lines with \"text\" and optionally \"entities\" (select's or tag's output), \"spans\" "
                    + "(Prodigy) or \"label\" (doccano); or text lines.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "Where the decisions go, appended (JSON Lines); an existing file of this batch is continued.")
    Path output;

    @Option(names = "--labels", split = ",", paramLabel = "TYPES",
            description = "The entity types, keys 1-9 in this order (PER,ORG,LOC; or a label set O,B-PER,I-PER,...; "
                    + "default: the model's).")
    List<String> labels;

    @Option(names = "--input-format", paramLabel = "jsonl|text",
            description = "The batch's format (default: from its extension: .jsonl, .ndjson, .json are JSON Lines, else text).")
    String inputFormat;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "The port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Override
    public Integer call() {
        boolean jsonLines = jsonLines();
        PrintWriter err = spec.commandLine().getErr();
        LocalModel local = ModelArgument.fetch(model, err);
        List<String> types = types(local.folder());
        TagPipeline pipeline = null;
        AnnotateServer server = null;
        StopSignals signals = null;
        try (PreTokenizedWords words = new PreTokenizedWords(local::folder)) {
            AnnotationBatch batch = AnnotationBatch.read(input, jsonLines, types, words);
            if (batch.size() == 0) throw new XnerInputException(input + ": no text to annotate (" + batch.withoutWords() + " without words)");
            try (DecisionLog log = DecisionLog.open(output, batch, err)) {
                Function<String, List<AnnotationBatch.Span>> preAnnotator = null;
                if (batch.items().stream().anyMatch(i -> i.entities() == null)) {
                    pipeline = TagPipeline.load(local.folder());
                    preAnnotator = preAnnotator(pipeline);
                }
                server = AnnotateServer.start(batch, log, words, preAnnotator, host, port);
                AnnotateServer started = server;
                AtomicBoolean stopping = new AtomicBoolean();
                Runnable stop = () -> {
                    if (stopping.compareAndSet(false, true)) {
                        err.println("xner: stopping: the decisions under way are written, then the page closes");
                        err.flush();
                    }
                    started.close();
                };
                // SIGTERM, Ctrl-C or the JVM's exit: the decisions under way are written, the command returns, exit 0
                signals = StopSignals.install("xner-annotate", stop);
                DecisionLog.Progress progress = log.progress();
                int next = log.firstUndecided(0, i -> true);
                err.println("xner: " + input + ": " + batch.size() + " texts" + (batch.withoutWords() > 0
                        ? " (" + batch.withoutWords() + " lines without words left out)" : "") + ", types " + String.join(", ", types)
                        + "; " + output + ": " + progress.done() + " decided"
                        + (next < 0 ? ", none left" : ", the next is line " + batch.items().get(next).line()));
                if (!ServeCommand.loopback(host)) {
                    err.println("xner: warning: listening on " + host + ": anyone who can reach this machine can read the batch "
                            + "and write decisions (the page has no API key)");
                }
                err.println("xner: annotating at " + server.uri() + "  (each decision is on disk before the page moves on; "
                        + "Ctrl-C stops)");
                err.flush();
                try {
                    server.join();
                } catch (InterruptedException e) {
                    // asked to stop; the resources close below
                } finally {
                    signals.close();
                }
                server.close();
                DecisionLog.Progress last = log.progress();
                err.println("xner: " + output + ": " + last.done() + " of " + last.total() + " texts decided (" + last.accepted()
                        + " accepted, " + last.rejected() + " rejected, " + last.ignored() + " skipped)");
                err.flush();
            }
        } finally {
            if (server != null) server.close();
            if (pipeline != null) pipeline.close();
            if (signals != null) signals.finished();
        }
        return Xner.EXIT_OK;
    }

    private boolean jsonLines() {
        if (inputFormat == null) return FileTagger.InputFormat.of(input) == FileTagger.InputFormat.JSONL;
        return switch (inputFormat.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "jsonl" -> true;
            case "text" -> false;
            default -> throw new XnerInputException("--input-format: unknown format \"" + inputFormat + "\" (expected jsonl or text)");
        };
    }

    /** The entity types: --labels (types, or a label set whose types are taken), else the model's. */
    List<String> types(Path modelDir) {
        List<String> types;
        if (labels != null) {
            boolean labelSet = labels.stream().anyMatch(l -> l.equals("O") || l.matches("[BIELS]-.+"));
            types = labelSet ? new LabelSet(labels).entityTypes() : List.copyOf(labels);
            for (String t : types) {
                if (t.isBlank()) throw new XnerInputException("--labels: an empty type");
            }
            if (types.stream().distinct().count() != types.size()) throw new XnerInputException("--labels: a type named twice: " + labels);
        } else {
            List<String> id2label = BertConfig.read(modelDir.resolve("config.json")).id2label();
            types = id2label.isEmpty() ? List.of() : new LabelSet(id2label).entityTypes();
        }
        if (types.isEmpty()) {
            throw new XnerInputException(labels != null ? "--labels: no entity type" : modelDir + "/config.json names no entity "
                    + "types (id2label): give them with --labels PER,ORG,LOC");
        }
        return new ArrayList<>(types);
    }

    /** The model's entities of a text, whole words (aggregation first), as spans. */
    private static Function<String, List<AnnotationBatch.Span>> preAnnotator(TagPipeline pipeline) {
        return text -> {
            List<Prediction> predictions;
            synchronized (pipeline) {
                predictions = pipeline.tag(text).predict(Aggregation.FIRST);
            }
            List<AnnotationBatch.Span> spans = new ArrayList<>();
            for (Prediction p : predictions) {
                if (p instanceof EntityGroup g && g.end() > g.start()) spans.add(new AnnotationBatch.Span(g.start(), g.end(), g.entityGroup()));
            }
            return spans;
        };
    }
}
