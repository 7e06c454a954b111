package xner.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;
import xner.ExitGate;
import xner.XnerInputException;
import xner.infer.Aggregation;
import xner.infer.EntityGroup;
import xner.infer.Prediction;
import xner.infer.ModelRuntime;
import xner.infer.Outcome;
import xner.infer.TagPipeline;
import xner.infer.Tagged;
import xner.infer.TokenPrediction;

/**
 * What an executor runs for one partition of {@link EntityTagger#transform}: its rows read {@code chunkSize} at a
 * time, the chunk's texts tagged together (the pipeline sorts their windows by length into passes, as
 * {@code tag --input} does), and each row given back in order with its entities appended.
 *
 * <p>The pipeline comes from {@link ExecutorModels}: loaded once per executor JVM and shared by its tasks. Only
 * this small object travels to executors (the model path and options), never the weights.
 */
final class PartitionTagger implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final String modelPath;
    private final ModelRuntime runtime;
    private final String precision; // fp32, bf16 or auto, resolved on the executor
    // the pipeline's options as numbers: TagPipeline.Options is a record, not Serializable
    private final int maxLength;
    private final int stride;
    private final int batchSize;
    private final int maxTokens;
    private final Aggregation aggregation;
    private final int column;
    private final int chunkSize;

    PartitionTagger(String modelPath, ModelRuntime runtime, String precision, TagPipeline.Options options,
            Aggregation aggregation, int column, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
        this.modelPath = modelPath;
        this.runtime = runtime;
        this.precision = precision;
        this.maxLength = options.maxLength();
        this.stride = options.stride();
        this.batchSize = options.batchSize();
        this.maxTokens = options.maxTokens();
        this.aggregation = aggregation;
        this.column = column;
        this.chunkSize = chunkSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        TagPipeline pipeline = ExecutorModels.pipeline(modelPath, runtime, precision,
                new TagPipeline.Options(maxLength, stride, batchSize, maxTokens), task == null ? 0 : task.cpus());
        int partition = task == null ? -1 : task.partitionId();
        // Ctrl-C or SIGTERM: the exit waits for this task to be between two chunks or passes, outside the model;
        // the task counts as running until it ends, whether it ran out of rows, failed or was cancelled
        AtomicBoolean ended = new AtomicBoolean();
        ExitGate.Scope gate = ExitGate.PROCESS.enter();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) gate.close();
        };
        if (task != null) task.addTaskCompletionListener((TaskCompletionListener) context -> end.run());
        return new Iterator<>() {
            final List<Row> out = new ArrayList<>(chunkSize);
            int next; // index into out of the next row to give
            long rowsBefore; // rows of this partition in earlier chunks, for messages

            @Override
            public boolean hasNext() {
                if (next < out.size()) return true;
                if (!rows.hasNext()) {
                    end.run();
                    return false;
                }
                rowsBefore += out.size();
                ExitGate.PROCESS.between(() -> "partition " + partition + " at row " + rowsBefore + " (0-based)");
                out.clear();
                next = 0;
                List<Row> chunk = new ArrayList<>(chunkSize);
                while (chunk.size() < chunkSize && rows.hasNext()) chunk.add(rows.next());
                tagChunk(pipeline::tagEach, chunk, partition, rowsBefore, out);
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return out.get(next++);
            }
        };
    }

    /**
     * Tags a chunk's non-empty texts together ({@code tagEach}: the pipeline's {@link TagPipeline#tagEach}) and appends
     * each row, with its entities, to {@code out}; a row whose text fails alone fails the task, named.
     */
    void tagChunk(Function<List<String>, List<Outcome<Tagged>>> tagEach, List<Row> chunk, int partition, long rowsBefore,
            List<Row> out) {
        List<String> texts = new ArrayList<>();
        for (Row r : chunk) {
            String text = text(r);
            if (text != null) texts.add(text);
        }
        // one text can fail the whole chunk (a lone surrogate the tokenizer refuses): found by bisection; the first
        // row that fails alone fails the task, named
        List<Outcome<Tagged>> tagged = tagEach.apply(texts);
        int t = 0;
        for (int i = 0; i < chunk.size(); i++) {
            if (text(chunk.get(i)) == null) continue;
            RuntimeException alone = tagged.get(t++).failure();
            if (alone != null) {
                throw new XnerInputException("partition " + partition + ", row " + (rowsBefore + i)
                        + " of the partition (0-based), column " + column + ": tagging failed: " + alone.getMessage(), alone);
            }
        }
        t = 0;
        for (Row r : chunk) {
            String text = text(r);
            List<Row> predictions = text == null ? List.of() : rows(tagged.get(t++).value().predict(aggregation));
            Object[] values = new Object[r.length() + 1];
            for (int c = 0; c < r.length(); c++) values[c] = r.get(c);
            values[r.length()] = CollectionConverters.asScala(predictions).toSeq(); // Spark's external type for arrays
            out.add(RowFactory.create(values));
        }
    }

    /** The row's text, or null when there is nothing to tag (null or empty). */
    private String text(Row r) {
        if (r.isNullAt(column)) return null;
        String s = r.getString(column);
        return s.isEmpty() ? null : s;
    }

    /** The predictions as rows of {@link EntityTagger#entitySchema} or {@link EntityTagger#tokenSchema}. */
    private static List<Row> rows(List<Prediction> predictions) {
        List<Row> rows = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            if (p instanceof EntityGroup g) {
                rows.add(RowFactory.create(g.entityGroup(), (float) g.score(), g.word(), g.start(), g.end()));
            } else {
                TokenPrediction k = (TokenPrediction) p;
                rows.add(RowFactory.create(k.entity(), (float) k.score(), k.index(), k.word(), k.start(), k.end()));
            }
        }
        return rows;
    }
}
