package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.serve.AnnotationBatch.Span;

/** The batch annotate reads: select's output, Prodigy's and doccano's spans, text lines; bad lines named. */
class AnnotationBatchTest {
    @TempDir Path dir;

    private AnnotationBatch read(boolean jsonLines, String... lines) throws Exception {
        Path file = dir.resolve(jsonLines ? "batch.jsonl" : "batch.txt");
        Files.write(file, List.of(lines));
        return AnnotationBatch.read(file, jsonLines, DecisionLogTest.TYPES, DecisionLogTest.WORDS);
    }

    private String refusal(String... lines) {
        return assertThrows(XnerInputException.class, () -> read(true, lines)).getMessage();
    }

    @Test
    void readsEachShapeOfPreAnnotation() throws Exception {
        AnnotationBatch batch = read(true,
                "{\"text\": \"Jeff Dean\", \"entities\": [{\"entity_group\": \"PER\", \"score\": 0.9, \"word\": \"Jeff Dean\", \"start\": 0, \"end\": 9}], \"score\": -0.3}",
                "",
                "{\"text\": \"in Genf\", \"spans\": [{\"start\": 3, \"end\": 7, \"label\": \"LOC\"}]}",
                "{\"text\": \"bei Google\", \"label\": [[4, 10, \"ORG\"]]}",
                "{\"text\": \"ohne alles\"}",
                "{\"text\": \"  \"}");
        assertEquals(4, batch.size());
        assertEquals(1, batch.withoutWords());
        assertEquals(List.of(new Span(0, 9, "PER")), batch.items().get(0).entities());
        assertEquals(-0.3, batch.items().get(0).fields().get("score").getAsDouble());
        assertEquals(List.of(new Span(3, 7, "LOC")), batch.items().get(1).entities());
        assertEquals(3, batch.items().get(1).line());
        assertEquals(List.of(new Span(4, 10, "ORG")), batch.items().get(2).entities());
        assertNull(batch.items().get(3).entities(), "none given: the model's");
        assertEquals(2, batch.indexOfLine(4));
        assertEquals(-1, batch.indexOfLine(2));
        assertEquals(64, batch.sha256().length());
    }

    @Test
    void textLinesAreTextsWithoutEntities() throws Exception {
        AnnotationBatch batch = read(false, "Jeff Dean lebt in Zürich.", "", "{\"text\": \"kept as it is\"}");
        assertEquals(2, batch.size());
        assertEquals("{\"text\": \"kept as it is\"}", batch.items().get(1).text());
        assertNull(batch.items().get(0).entities());
    }

    @Test
    void aLineThatIsNotJsonIsNamed() {
        String m = refusal("{\"text\": \"Jeff Dean\"}", "Jeff Dean lebt in Zürich");
        assertTrue(m.startsWith(dir.resolve("batch.jsonl") + ":2: not JSON"), m);
    }

    @Test
    void anUnknownLabelIsNamed() {
        String m = refusal("{\"text\": \"Jeff Dean\", \"entities\": [{\"entity_group\": \"PERSON\", \"start\": 0, \"end\": 9}]}");
        assertTrue(m.startsWith(dir.resolve("batch.jsonl") + ":1: entities[0]: unknown label \"PERSON\"; the types are PER, ORG, LOC"), m);
    }

    @Test
    void anEntityThatCutsAWordOrOverlapsIsNamed() {
        String m = refusal("{\"text\": \"Jeff Dean\", \"spans\": [{\"start\": 0, \"end\": 7, \"label\": \"PER\"}]}");
        assertTrue(m.startsWith(dir.resolve("batch.jsonl") + ":1: spans[0]: ends at 7, which is not the end of a word"), m);
        m = refusal("{\"text\": \"Jeff Dean\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}, {\"start\": 5, \"end\": 9, \"label\": \"ORG\"}]}");
        assertTrue(m.contains(":1: spans: the entities \"Jeff Dean\" (0–9) and \"Dean\" (5–9) overlap"), m);
        m = refusal("{\"entities\": []}");
        assertTrue(m.contains(":1: field \"text\": expected a string, found none"), m);
        m = refusal("[1, 2]");
        assertTrue(m.contains(":1: expected a JSON object with a \"text\", found an array"), m);
    }
}
