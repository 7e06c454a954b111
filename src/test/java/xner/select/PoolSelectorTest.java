package xner.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xner.data.InputRecord;
import xner.infer.FileTagger.InputFormat;
import xner.infer.Tagged;

/**
 * The loop over a pool, with a stand-in for the model whose logits the test writes ({@link Logits}): what is
 * chosen and in which order, repeats and annotated texts left out, chunks bounded, random without the model,
 * bad records reported with file and line.
 */
class PoolSelectorTest {
    private final StringWriter err = new StringWriter();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final List<String> taggedTexts = new ArrayList<>();

    /** The stand-in model: {@link Logits} per text; a text holding "boom" fails whatever batch it is in. */
    private List<Tagged> tag(List<InputRecord> records) {
        batchSizes.add(records.size());
        List<Tagged> out = new ArrayList<>();
        for (InputRecord r : records) {
            String text = PoolSelector.textOf(r);
            if (text.contains("boom")) throw new IllegalStateException("boom: the model failed\nsecond line");
            out.add(Logits.tagged(text));
        }
        records.forEach(r -> taggedTexts.add(PoolSelector.textOf(r)));
        return out;
    }

    private PoolSelector.Selection select(Strategy strategy, int count, long seed, Set<String> excluded, int chunk,
            InputFormat format, String pool) throws IOException {
        PoolSelector selector = new PoolSelector(this::tag, strategy, count, seed, excluded, chunk, new PrintWriter(err, true));
        byte[] bytes = pool.getBytes(StandardCharsets.UTF_8);
        Path file = Path.of("pool" + switch (format) {
            case TEXT -> ".txt";
            case JSONL -> ".jsonl";
            case CONLL -> ".conll";
            case DOCUMENTS -> throw new IllegalArgumentException("select reads no documents");
        });
        return selector.select(format.reader(new ByteArrayInputStream(bytes), file, xner.data.ColumnLayout.DEFAULT), bytes.length);
    }

    private static List<String> texts(PoolSelector.Selection s) {
        return s.chosen().stream().map(Candidate::text).toList();
    }

    private static List<JsonObject> written(PoolSelector.Selection s) throws IOException {
        StringWriter out = new StringWriter();
        s.write(out);
        return out.toString().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void theLeastConfidentTextsAreChosenFirstWithTheirFieldsEntitiesAndScore() throws IOException {
        String pool = String.join("\n",
                "{\"id\": 1, \"text\": \"a b\"}",
                "{\"id\": 2, \"text\": \"!Jeff ?x\", \"meta\": {\"source\": \"news\"}}",
                "{\"id\": 3, \"text\": \"?a ?b\"}",
                "{\"id\": 4, \"text\": \"~a b\"}") + "\n";
        PoolSelector.Selection s = select(Strategy.MNLP, 2, 0, Set.of(), 512, InputFormat.JSONL, pool);
        assertEquals(List.of("?a ?b", "!Jeff ?x"), texts(s));
        List<JsonObject> out = written(s);
        assertEquals(List.of("id", "text", "entities", "score"), List.copyOf(out.get(0).keySet()));
        assertEquals(3, out.get(0).get("id").getAsInt());
        assertEquals(-Math.log(3), out.get(0).get("score").getAsDouble(), 1e-6);
        JsonObject jeff = out.get(1);
        assertEquals("news", jeff.getAsJsonObject("meta").get("source").getAsString());
        JsonObject entity = jeff.getAsJsonArray("entities").get(0).getAsJsonObject();
        assertEquals("PER", entity.get("entity_group").getAsString());
        assertEquals("!Jeff", entity.get("word").getAsString());
        assertEquals(0, entity.get("start").getAsInt());
        assertEquals(5, entity.get("end").getAsInt());
        assertEquals(new PoolSelector.Summary(4, 4, 4, 0, 0, 0, 0, 2), s.summary());
    }

    @Test
    void entropyChoosesTheHighestSpread() throws IOException {
        PoolSelector.Selection s = select(Strategy.ENTROPY, 1, 0, Set.of(), 512, InputFormat.TEXT, "=a\n^a\na\n");
        assertEquals(List.of("^a"), texts(s));
        assertEquals(List.of("=a"), texts(select(Strategy.MNLP, 1, 0, Set.of(), 512, InputFormat.TEXT, "=a\n^a\na\n")));
    }

    @Test
    void repeatsAndAnnotatedTextsAreNeverChosen() throws IOException {
        // "?a ?b" three times: twice in one chunk of 2, once in a later chunk; "?x ?y", the least sure, is annotated
        String pool = "?a ?b\n?a ?b\n?x ?y\n~a b\n?a ?b\na b\n\n?a b\n";
        PoolSelector.Selection s = select(Strategy.MNLP, 3, 0, Set.of("?x ?y"), 2, InputFormat.TEXT, pool);
        assertEquals(List.of("?a ?b", "?a b", "~a b"), texts(s));
        assertEquals(new PoolSelector.Summary(8, 8, 4, 1, 2, 1, 0, 3), s.summary());
        assertTrue(!taggedTexts.contains("?x ?y"), "an annotated text is not tagged at all");
        assertEquals(1, Collections.frequency(taggedTexts, "?a ?b"), "a text on the shortlist is not tagged again");
    }

    @Test
    void theModelSeesOneChunkAtATime() throws IOException {
        StringBuilder pool = new StringBuilder();
        for (int i = 0; i < 100; i++) pool.append(i % 7 == 0 ? "?" : "").append("w").append(i).append(" x\n");
        PoolSelector.Selection s = select(Strategy.MNLP, 5, 0, Set.of(), 8, InputFormat.TEXT, pool.toString());
        assertTrue(batchSizes.stream().allMatch(n -> n <= 8), batchSizes.toString());
        assertEquals(List.of("?w0 x", "?w7 x", "?w14 x", "?w21 x", "?w28 x"), texts(s), "ties go to the earlier text");
        assertEquals(5, written(s).size());
    }

    @Test
    void randomTagsOnlyWhatItChoosesAndDependsOnTheSeedNotTheOrder() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) lines.add("text " + i);
        PoolSelector.Selection first = select(Strategy.RANDOM, 5, 7, Set.of(), 512, InputFormat.TEXT, String.join("\n", lines) + "\n");
        assertEquals(5, taggedTexts.size(), "the model tags the 5 chosen, not the pool");
        assertEquals(Set.copyOf(texts(first)), Set.copyOf(taggedTexts));
        Collections.shuffle(lines, new Random(3));
        PoolSelector.Selection shuffled = select(Strategy.RANDOM, 5, 7, Set.of(), 512, InputFormat.TEXT, String.join("\n", lines) + "\n");
        assertEquals(texts(first), texts(shuffled));
        PoolSelector.Selection otherSeed = select(Strategy.RANDOM, 5, 8, Set.of(), 512, InputFormat.TEXT, String.join("\n", lines) + "\n");
        assertNotEquals(texts(first), texts(otherSeed));
        for (Candidate c : first.chosen()) assertEquals(Strategy.randomKey(7, c.text()), c.score());
        assertTrue(first.chosen().get(0).score() <= first.chosen().get(4).score(), "the lowest keys, lowest first");
    }

    @Test
    void badRecordsAndRecordsTheModelFailsOnAreReportedWithFileAndLine() throws IOException {
        String pool = String.join("\n", "{\"text\": \"?a\"}", "{'text': 'x'}", "{\"text\": \"b\"}", "{\"text\": \"boom ?z\"}",
                "{\"text\": \"~c\"}", "{\"title\": \"no text\"}") + "\n";
        PoolSelector.Selection s = select(Strategy.MNLP, 10, 0, Set.of(), 512, InputFormat.JSONL, pool);
        assertEquals(List.of("?a", "~c", "b"), texts(s));
        assertEquals(3, s.summary().skipped());
        String report = err.toString();
        assertTrue(report.contains("pool.jsonl:2: not JSON: "), report);
        assertTrue(report.contains("pool.jsonl:4: tagging failed: boom: the model failed; skipped"), report);
        assertTrue(report.contains("pool.jsonl:6: field \"text\": expected a string, found none; skipped"), report);
    }

    @Test
    void conllSentencesAreTextsOfTheirWordsJoined() throws IOException {
        PoolSelector.Selection s = select(Strategy.MNLP, 1, 0, Set.of("!Jan b"), 512, InputFormat.CONLL,
                "!Jan B-PER\nb O\n\n?x O\n!Jan B-PER\n\n");
        assertEquals(List.of("?x !Jan"), texts(s));
        JsonObject out = written(s).get(0);
        assertEquals("[\"?x\",\"!Jan\"]", out.get("tokens").toString());
        assertEquals("?x !Jan", out.get("text").getAsString());
        assertEquals(1, s.summary().excluded());
    }
}
