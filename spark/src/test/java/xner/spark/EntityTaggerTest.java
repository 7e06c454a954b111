package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.Sentence;
import xner.infer.Aggregation;
import xner.infer.EntityGroup;
import xner.infer.ModelRuntime;
import xner.infer.Prediction;
import xner.infer.TagPipeline;
import xner.infer.TaggedToken;
import xner.infer.TokenPrediction;

/**
 * {@link EntityTagger} on a {@code local[2]} Spark with synthetic German-looking sentences (TinyTagger) and
 * a tiny random model on their words: the column holds exactly what {@link TagPipeline} answers for each row.
 */
class EntityTaggerTest {
    @TempDir static Path dir;
    static SparkSession spark;
    static Path model;
    static TagPipeline pipeline;
    static List<String> texts;

    static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true).add("source", DataTypes.StringType, true);

    @BeforeAll
    static void start() throws Exception {
        List<Sentence> sentences = TinyTagger.sentences(400, 2);
        model = TinyTagger.model(dir.resolve("model"), sentences, 7);
        texts = TinyTagger.texts(sentences);
        pipeline = TagPipeline.load(model);
        spark = SparkSession.builder().master("local[2]").appName("EntityTaggerTest")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
        if (pipeline != null) pipeline.close();
    }

    /** Rows (id, text, source) in {@code partitions} partitions, ids in text order. */
    static Dataset<Row> frame(List<String> texts, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) rows.add(RowFactory.create(i, texts.get(i), "s" + i));
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    /** As {@link #frame}, keeping the order: contiguous ranges in each partition. */
    static Dataset<Row> ordered(List<String> texts, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) rows.add(RowFactory.create(i, texts.get(i), "s" + i));
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), SCHEMA);
    }

    static EntityTagger tagger() {
        return new EntityTagger().setModelPath(model.toString()).setInputCol("text").setOutputCol("entities");
    }

    /** One prediction as the test compares it: all fields exact but the score (index -1 for entity groups). */
    record Found(String label, int index, String word, int start, int end, float score) {
        static Found of(Prediction p) {
            return new Found(p.label(), p instanceof TokenPrediction t ? t.index() : -1, p.word(), p.start(), p.end(), (float) p.score());
        }

        static Found of(Row e) {
            if (e.length() == 6) return new Found(e.getString(0), e.getInt(2), e.getString(3), e.getInt(4), e.getInt(5), e.getFloat(1));
            return new Found(e.getString(0), -1, e.getString(2), e.getInt(3), e.getInt(4), e.getFloat(1));
        }

        /**
         * Equal but for the score's last bits: a forward pass padded to another length (texts batched with other
         * texts) differs from the same text's pass elsewhere by float rounding, ~1e-7.
         */
        boolean matches(Found o) {
            return label.equals(o.label) && index == o.index && word.equals(o.word) && start == o.start && end == o.end
                    && Math.abs(score - o.score) <= 1e-5f;
        }
    }

    static List<Found> found(List<Row> entities) {
        return entities.stream().map(Found::of).toList();
    }

    /** The entities column of each row, by id. */
    static List<List<Found>> entitiesById(Dataset<Row> tagged, int n) {
        List<List<Found>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(null);
        for (Row r : tagged.select("id", "entities").collectAsList()) out.set(r.getInt(0), found(r.getList(1)));
        return out;
    }

    static List<List<Found>> expected(List<String> texts, Aggregation aggregation) {
        List<List<Found>> out = new ArrayList<>();
        for (var t : pipeline.tagBatch(texts)) out.add(t.predict(aggregation).stream().map(Found::of).toList());
        return out;
    }

    static void assertSameEntities(List<List<Found>> want, List<List<Found>> got, List<String> texts) {
        assertEquals(want.size(), got.size(), "rows");
        for (int i = 0; i < want.size(); i++) {
            List<Found> w = want.get(i);
            List<Found> g = got.get(i);
            String where = "row " + i + " (" + texts.get(i) + "): expected " + w + ", got " + g;
            assertNotNull(g, where);
            assertEquals(w.size(), g.size(), where);
            for (int k = 0; k < w.size(); k++) assertTrue(w.get(k).matches(g.get(k)), where);
        }
    }

    @Test
    void everyRowHasThePipelinesEntities() {
        List<List<Found>> got = entitiesById(tagger().transform(frame(texts, 4)), texts.size());
        List<List<Found>> want = expected(texts, Aggregation.FIRST);
        long found = want.stream().mapToLong(List::size).sum();
        assertTrue(found > texts.size(), "the tiny model finds entities in most rows: " + found);
        assertSameEntities(want, got, texts);
    }

    @Test
    void onOnnxRuntimeEveryRowHasTheOnnxPipelinesEntities() throws Exception {
        Path onnx = dir.resolve("model-onnx");
        xner.onnx.OnnxExport.export(model, onnx, null);
        List<List<Found>> want = new ArrayList<>();
        try (TagPipeline onOnnx = TagPipeline.load(onnx, TagPipeline.Options.DEFAULTS, ModelRuntime.ONNX)) {
            for (var t : onOnnx.tagBatch(texts)) want.add(t.predict(Aggregation.FIRST).stream().map(Found::of).toList());
        }
        EntityTagger onnxTagger = new EntityTagger().setModelPath(onnx.toString()).setRuntime("onnx");
        assertSameEntities(want, entitiesById(onnxTagger.transform(frame(texts, 4)), texts.size()), texts);
        // and the entities of libtorch: the two runtimes agree on this model (logits within 1e-4, OnnxExportTest)
        assertSameEntities(expected(texts, Aggregation.FIRST), entitiesById(onnxTagger.transform(frame(texts, 2)), texts.size()),
                texts);
        assertThrows(IllegalArgumentException.class, () -> tagger().setRuntime("tensorflow"));
    }

    @Test
    void oneAndFourPartitionsGiveTheSameRowsInTheSameOrder() {
        List<Row> one = tagger().transform(ordered(texts, 1)).collectAsList();
        List<Row> four = tagger().setChunkSize(7).transform(ordered(texts, 4)).collectAsList();
        assertEquals(texts.size(), one.size());
        assertEquals(texts.size(), four.size());
        for (int i = 0; i < one.size(); i++) {
            for (List<Row> rows : List.of(one, four)) {
                assertEquals(i, rows.get(i).getInt(0), "rows keep their order");
                assertEquals(texts.get(i), rows.get(i).getString(1), "and their columns");
                assertEquals("s" + i, rows.get(i).getString(2), "and their columns");
            }
        }
        assertSameEntities(one.stream().map(r -> found(r.getList(3))).toList(), four.stream().map(r -> found(r.getList(3))).toList(),
                texts);
    }

    @Test
    void aggregationNoneGivesTheTokensShape() {
        Dataset<Row> tagged = tagger().setAggregation("NONE").transform(frame(texts.subList(0, 50), 2));
        assertEquals(DataTypes.createArrayType(EntityTagger.tokenSchema(), false), tagged.schema().apply("entities").dataType());
        assertSameEntities(expected(texts.subList(0, 50), Aggregation.NONE), entitiesById(tagged, 50), texts);
    }

    @Test
    void everyAggregationMatchesThePipeline() {
        for (Aggregation a : List.of(Aggregation.SIMPLE, Aggregation.AVERAGE, Aggregation.MAX)) {
            Dataset<Row> tagged = tagger().setAggregation(a.wireName()).transform(frame(texts.subList(0, 60), 3));
            assertSameEntities(expected(texts.subList(0, 60), a), entitiesById(tagged, 60), texts);
        }
    }

    @Test
    void nullAndEmptyTextsGiveEmptyArraysAndNoRowIsDropped() {
        List<String> mixed = new ArrayList<>(texts.subList(0, 10));
        mixed.add(3, null);
        mixed.add(5, "");
        mixed.add(null);
        List<Row> rows = tagger().transform(ordered(mixed, 2)).collectAsList();
        assertEquals(mixed.size(), rows.size());
        List<List<Found>> want = new ArrayList<>();
        for (String t : mixed) want.add(t == null || t.isEmpty() ? List.of() : expected(List.of(t), Aggregation.FIRST).get(0));
        List<List<Found>> got = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getInt(0));
            assertEquals(mixed.get(i), r.getString(1), "the text itself is kept, null included");
            assertFalse(r.isNullAt(3), "row " + i + ": an array, never null");
            got.add(found(r.getList(3)));
        }
        assertSameEntities(want, got, mixed);
        assertTrue(rows.get(3).getList(3).isEmpty() && rows.get(5).getList(3).isEmpty());
    }

    @Test
    void aFiveThousandWordTextIsTaggedInWindowsAsThePipelineTagsIt() {
        List<String> words = new ArrayList<>();
        for (int i = 0; words.size() < 5000; i++) words.addAll(List.of(texts.get(i % texts.size()).split(" ")));
        String text = String.join(" ", words.subList(0, 5000));
        assertTrue(pipeline.tag(text).tokens().size() > 10 * pipeline.maxLength(), "many windows of " + pipeline.maxLength());
        List<String> mixed = List.of(texts.get(0), text, texts.get(1));
        List<List<Found>> got = entitiesById(tagger().transform(frame(mixed, 2)), 3);
        assertSameEntities(expected(mixed, Aggregation.FIRST), got, mixed);
        Found last = got.get(1).get(got.get(1).size() - 1);
        assertTrue(last.end() > text.length() * 9 / 10, "entities to the end of the text, not only the first window: " + last);
    }

    @Test
    void offsetsAreJavaStringIndicesWithEmojiAndAccents() {
        String first = texts.get(0);
        List<String> unicode = List.of("😀😀 " + first, "Zürich « Genève » 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " + texts.get(1), "ça\tva\u00a0" + texts.get(2));
        Dataset<Row> tagged = tagger().transform(frame(unicode, 2));
        List<List<Found>> got = entitiesById(tagged, unicode.size());
        assertSameEntities(expected(unicode, Aggregation.FIRST), got, unicode);
        for (Row r : tagged.collectAsList()) {
            String text = r.getString(1);
            for (Row e : r.<Row>getList(3)) assertEquals(text.substring(e.getInt(3), e.getInt(4)), e.getString(2), text);
        }
        // after two emoji (four UTF-16 units, two code points) and a space, entities start and end where the
        // sentence's own tokens do, 5 further on: code-point offsets would be two characters short
        Set<Integer> starts = new HashSet<>();
        Set<Integer> ends = new HashSet<>();
        for (TaggedToken t : pipeline.tag(first).tokens()) {
            starts.add(t.start() + 5);
            ends.add(t.end() + 5);
        }
        List<Found> after = got.get(0).stream().filter(f -> f.start() >= 5).toList();
        assertFalse(after.isEmpty(), got.get(0).toString());
        for (Found f : after) {
            assertEquals(first.substring(f.start() - 5, f.end() - 5), f.word());
            assertTrue(starts.contains(f.start()) && ends.contains(f.end()), "on the sentence's token boundaries: " + f);
        }
    }

    @Test
    void savedAndLoadedInsideAPipelineModel() throws Exception {
        EntityTagger tagger = tagger().setAggregation("max").setBatchSize(8).setMaxLength(64).setStride(16).setChunkSize(50);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {tagger}).fit(frame(texts.subList(0, 5), 1));
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        EntityTagger back = (EntityTagger) loaded.stages()[0];
        assertEquals(tagger.uid(), back.uid());
        assertEquals(Aggregation.MAX, back.getAggregation());
        assertEquals(tagger.options(), back.options());
        assertEquals(model.toString(), back.getModelPath());
        Dataset<Row> input = ordered(texts.subList(0, 80), 2);
        assertEquals(tagger.transform(input).collectAsList(), loaded.transform(input).collectAsList(), "same params, same batches");

        String alone = dir.resolve("tagger").toString();
        tagger.write().overwrite().save(alone);
        assertEquals(tagger.options(), EntityTagger.load(alone).options());
    }

    @Test
    void theModelIsLoadedOncePerJvmForTheSameFolderAndOptions() {
        tagger().transform(frame(texts.subList(0, 20), 4)).count();
        int before = ExecutorModels.loaded();
        tagger().transform(frame(texts.subList(20, 60), 4)).collectAsList();
        tagger().transform(frame(texts.subList(60, 99), 3)).collectAsList();
        assertEquals(before, ExecutorModels.loaded(), "no new load for tasks of later jobs");
    }

    @Test
    void aMissingOrNonStringColumnIsNamed() {
        Dataset<Row> df = frame(texts.subList(0, 3), 1);
        XnerInputException missing = assertThrows(XnerInputException.class, () -> tagger().setInputCol("body").transform(df));
        assertEquals("input column \"body\" not found; the columns are id, text, source", missing.getMessage());
        XnerInputException notString = assertThrows(XnerInputException.class, () -> tagger().setInputCol("id").transform(df));
        assertEquals("input column \"id\" is int, expected string", notString.getMessage());
        XnerInputException taken = assertThrows(XnerInputException.class, () -> tagger().setOutputCol("source").transform(df));
        assertTrue(taken.getMessage().startsWith("output column \"source\" exists already"), taken.getMessage());
    }

    @Test
    void anUnknownAggregationIsRefusedWithTheNames() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> tagger().setAggregation("longest"));
        assertEquals("aggregation: unknown aggregation strategy \"longest\" (expected none, simple, first, average or max)", e.getMessage());
    }

    @Test
    void aModelFolderTheExecutorCannotReadFailsTheJobNamingHostAndPath() {
        Path nowhere = dir.resolve("no-such-model");
        Dataset<Row> df = frame(texts.subList(0, 3), 1);
        Exception e = assertThrows(Exception.class,
                () -> tagger().setModelPath(nowhere.toString()).transform(df).collectAsList());
        XnerInputException cause = null;
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof XnerInputException x) cause = x;
        assertNotNull(cause, "the executor's message reaches the driver as the cause");
        assertTrue(cause.getMessage().startsWith("host "), cause.getMessage());
        assertTrue(cause.getMessage().contains(nowhere.toString() + " (" + nowhere + ") does not exist"), cause.getMessage());
    }
}
