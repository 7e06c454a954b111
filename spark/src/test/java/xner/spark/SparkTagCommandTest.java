package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.data.Sentence;
import xner.infer.Aggregation;
import xner.infer.EntityGroup;
import xner.infer.Prediction;
import xner.infer.TagPipeline;

/** {@code spark-tag} end to end on an embedded {@code local[2]} Spark: files in, files out, and the refusals. */
class SparkTagCommandTest {
    @TempDir static Path dir;
    static Path model;
    static List<String> texts;
    static TagPipeline pipeline;

    @BeforeAll
    static void model() throws IOException {
        List<Sentence> sentences = TinyTagger.sentences(150, 2);
        model = TinyTagger.model(dir.resolve("model"), sentences, 11);
        texts = TinyTagger.texts(sentences);
        pipeline = TagPipeline.load(model);
    }

    @AfterAll
    static void close() {
        if (pipeline != null) pipeline.close();
    }

    record Run(int exit, String err) {}

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = SparkTagCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, err.toString());
    }

    /** The JSON objects of a JSON Lines output folder, part files in name order. */
    static List<JsonObject> readJsonl(Path folder) throws IOException {
        List<JsonObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path part : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(part)) out.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return out;
    }

    static List<String> describe(JsonArray entities) {
        List<String> out = new ArrayList<>();
        for (var e : entities) {
            JsonObject o = e.getAsJsonObject();
            out.add(o.get("entity_group").getAsString() + " " + o.get("word").getAsString() + " " + o.get("start").getAsInt() + "-"
                    + o.get("end").getAsInt());
        }
        return out;
    }

    static List<String> describe(List<Prediction> predictions) {
        return predictions.stream().map(p -> (EntityGroup) p).map(g -> g.entityGroup() + " " + g.word() + " " + g.start() + "-" + g.end())
                .toList();
    }

    static boolean leftovers(Path output) throws IOException {
        try (Stream<Path> files = Files.list(output.getParent())) {
            return files.anyMatch(f -> f.getFileName().toString().equals("." + output.getFileName() + ".partial"));
        }
    }

    @Test
    void textLinesInJsonLinesOutEveryLineInOrderWithThePipelinesEntities() throws IOException {
        List<String> lines = new ArrayList<>(texts);
        lines.add(40, "");
        Path in = dir.resolve("in.txt");
        Files.write(in, lines);
        Path out = dir.resolve("out.jsonl");
        Run r = run("--model", model.toString(), "--input", in.toString(), "--output", out.toString(), "--master", "local[2]",
                "--partitions", "3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().matches("(?s).*spark-tag: ([3-9])/\\1 partitions, " + lines.size() + " rows.*"),
                "split in file order into 3 or more partitions: " + r.err());
        assertFalse(leftovers(out), "the temporary folder was renamed");
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        List<JsonObject> got = readJsonl(out);
        assertEquals(lines.size(), got.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(lines.get(i), got.get(i).get("text").getAsString(), "line " + (i + 1) + " in order");
            List<String> want = lines.get(i).isEmpty() ? List.of() : describe(pipeline.tag(lines.get(i)).predict(Aggregation.FIRST));
            assertEquals(want, describe(got.get(i).getAsJsonArray("entities")), "line " + (i + 1));
        }
    }

    @Test
    void parquetInAndOutKeepsTheOtherColumns() throws IOException {
        Path in = dir.resolve("docs.parquet");
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 30; i++) rows.add(org.apache.spark.sql.RowFactory.create((long) i, i == 7 ? null : texts.get(i)));
            spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType().add("doc", "long").add("body", "string"))
                    .coalesce(1).write().parquet(in.toString());
        } finally {
            spark.stop();
        }
        Path out = dir.resolve("tagged.parquet");
        Run r = run("--model", model.toString(), "--input", in.toString(), "--output", out.toString(), "--text-column", "body",
                "--master", "local[2]");
        assertEquals(0, r.exit(), r.err());
        spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> back = spark.read().parquet(out.toString()).orderBy("doc").collectAsList();
            assertEquals(30, back.size());
            for (int i = 0; i < 30; i++) {
                Row row = back.get(i);
                assertEquals(i, row.getLong(0));
                List<Row> entities = row.getList(2);
                if (i == 7) {
                    assertTrue(row.isNullAt(1) && entities.isEmpty(), "a null text: kept, no entities");
                    continue;
                }
                List<String> got = entities.stream().map(e -> e.getString(0) + " " + e.getString(2) + " " + e.getInt(3) + "-" + e.getInt(4))
                        .toList();
                assertEquals(describe(pipeline.tag(texts.get(i)).predict(Aggregation.FIRST)), got, "doc " + i);
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void jsonLinesInAndOutKeepEveryFieldIncludingNulls() throws IOException {
        Path in = dir.resolve("docs.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            JsonObject o = new JsonObject();
            o.addProperty("id", i);
            if (i == 4) o.add("text", com.google.gson.JsonNull.INSTANCE);
            else o.addProperty("text", texts.get(i));
            o.addProperty("lang", i % 2 == 0 ? "de" : null);
            lines.add(o.toString());
        }
        Files.write(in, lines);
        Path out = dir.resolve("docs-out.jsonl");
        Run r = run("--model", model.toString(), "--input", in.toString(), "--output", out.toString(), "--master", "local[2]",
                "--partitions", "1");
        assertEquals(0, r.exit(), r.err());
        List<JsonObject> got = readJsonl(out);
        assertEquals(12, got.size());
        for (int i = 0; i < 12; i++) {
            JsonObject o = got.get(i);
            assertEquals(i, o.get("id").getAsInt(), "in order");
            assertTrue(o.has("lang") && o.has("text"), "null fields are written, not dropped: " + o);
            if (i == 4) {
                assertTrue(o.get("text").isJsonNull() && o.getAsJsonArray("entities").isEmpty(), o.toString());
                continue;
            }
            assertEquals(describe(pipeline.tag(texts.get(i)).predict(Aggregation.FIRST)), describe(o.getAsJsonArray("entities")));
        }
    }

    @Test
    void aMissingColumnOrANonStringColumnIsOneLineAndNoOutput() throws IOException {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"id\": 1, \"body\": \"Jeff Dean\"}\n{\"id\": 2, \"body\": \"Google\"}\n");
        Path out = dir.resolve("bad-out.jsonl");
        Run missing = run("--model", model.toString(), "--input", in.toString(), "--output", out.toString(), "--master", "local[1]");
        assertEquals(2, missing.exit(), missing.err());
        assertEquals("xner: --text-column text: " + in + " has no such column (its columns: body, id)", missing.err().strip());
        Run notString = run("--model", model.toString(), "--input", in.toString(), "--output", out.toString(), "--text-column", "id",
                "--master", "local[1]");
        assertEquals(2, notString.exit(), notString.err());
        assertEquals("xner: --text-column id: in " + in + " it is bigint, not a string", notString.err().strip());
        assertFalse(Files.exists(out));
        assertFalse(leftovers(out));
    }

    @Test
    void anUnknownAggregationOrModelFolderFailsBeforeSparkStarts() {
        Run aggregation = run("--model", model.toString(), "--input", "x.txt", "--output", "y.jsonl", "--aggregation", "longest");
        assertEquals(2, aggregation.exit());
        assertEquals("xner: --aggregation: unknown aggregation strategy \"longest\" (expected none, simple, first, average or max)",
                aggregation.err().strip());
        Path nowhere = dir.resolve("no-model");
        Run noModel = run("--model", nowhere.toString(), "--input", dir.toString(), "--output", "y.jsonl", "--input-format", "text");
        assertEquals(2, noModel.exit());
        assertEquals("xner: --model " + nowhere + ": no such folder", noModel.err().strip());
    }

    @Test
    void aModelThatFailsOnTheExecutorFailsTheJobAndLeavesNoOutput() throws IOException {
        Path broken = dir.resolve("broken-model");
        Files.createDirectories(broken);
        Files.copy(model.resolve("config.json"), broken.resolve("config.json")); // no weights, no tokenizer
        Path in = dir.resolve("few.txt");
        Files.write(in, texts.subList(0, 5));
        Path out = dir.resolve("never.jsonl");
        Run r = run("--model", broken.toString(), "--input", in.toString(), "--output", out.toString(), "--master", "local[1]");
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("xner: host ") && r.err().contains("cannot load the model " + broken), r.err());
        assertFalse(Files.exists(out), "no output under the final name");
        assertFalse(leftovers(out), "and no temporary folder");
    }
}
