package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.Offsets;
import xner.data.SpanReader;
import xner.data.WordCutter;
import xner.serve.AnnotationBatch.Span;
import xner.serve.DecisionLog.Answer;
import xner.serve.DecisionLog.Decision;

/** The decision log: append, resume, a line cut off by a kill, another batch's output, a second decision, undo. */
class DecisionLogTest {
    /** Words as BERT's pre-tokenizer cuts them: runs of letters or digits, each other visible character alone. */
    static final WordCutter WORDS = text -> {
        List<WordCutter.Word> words = new ArrayList<>();
        Matcher m = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]").matcher(text);
        while (m.find()) words.add(new WordCutter.Word(m.start(), m.end()));
        return words;
    };
    static final List<String> TYPES = List.of("PER", "ORG", "LOC");

    @TempDir Path dir;
    private final StringWriter said = new StringWriter();
    private final PrintWriter err = new PrintWriter(said, true);

    private AnnotationBatch batch(String... lines) throws Exception {
        Path file = dir.resolve("batch.jsonl");
        Files.write(file, List.of(lines));
        return AnnotationBatch.read(file, true, TYPES, WORDS);
    }

    private AnnotationBatch threeTexts() throws Exception {
        return batch("{\"text\": \"Jeff Dean lebt in Zürich.\", \"entities\": [{\"entity_group\": \"PER\", \"start\": 0, \"end\": 9}], \"id\": 7}",
                "{\"text\": \"Kein Name hier\"}",
                "",
                "{\"text\": \"Google in Genf\", \"entities\": []}");
    }

    @Test
    void everyDecisionIsOneLineThatSpanReaderReadsBack() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of(new Span(0, 9, "PER"), new Span(18, 24, "LOC"))));
            assertEquals(1, Files.readAllLines(out).size(), "on disk as soon as decide returns");
            log.decide(new Decision(1, Answer.REJECT, List.of()));
            log.decide(new Decision(2, Answer.IGNORE, List.of()));
            assertEquals(3, log.progress().done());
            assertEquals(3, log.progress().thisSession());
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("accept", first.get("answer").getAsString());
        assertEquals("Jeff Dean", first.getAsJsonArray("spans").get(0).getAsJsonObject().get("text").getAsString());
        assertEquals(7, first.get("id").getAsInt(), "the batch record's other fields are kept");
        assertFalse(first.has("entities"), "the pre-annotation is not carried: spans are the annotator's");
        assertEquals(batch.sha256(), first.getAsJsonObject("_batch").get("sha256").getAsString());
        assertEquals(4, JsonParser.parseString(lines.get(2)).getAsJsonObject().getAsJsonObject("_batch").get("line").getAsInt());

        SpanReader.AnnotatedTexts read = SpanReader.read(out, StandardCharsets.UTF_8, Offsets.UTF_16, WORDS);
        assertEquals(1, read.sentences().size());
        assertEquals(List.of("B-PER", "I-PER", "O", "O", "B-LOC", "O"), read.sentences().get(0).tags());
        assertEquals(1, read.rejected());
        assertEquals(1, read.ignored());
    }

    @Test
    void startedAgainItGoesOnWithTheFirstUndecidedText() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of()));
            log.decide(new Decision(2, Answer.ACCEPT, List.of()));
        }
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            assertTrue(log.decided(0));
            assertFalse(log.decided(1));
            assertEquals(1, log.firstUndecided(0, i -> true));
            assertEquals(-1, log.firstUndecided(2, i -> true));
            assertEquals(2, log.progress().done());
            assertEquals(0, log.progress().thisSession());
            log.decide(new Decision(1, Answer.ACCEPT, List.of()));
        }
        assertEquals(3, Files.readAllLines(out).size());
        assertEquals("", said.toString());
    }

    @Test
    void aLastLineCutOffByAKillIsRemovedAndSaid() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of(new Span(0, 9, "PER"))));
        }
        String whole = Files.readString(out);
        Files.writeString(out, whole.substring(0, whole.length() - 20), StandardOpenOption.APPEND); // a second record, torn
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            assertTrue(said.toString().contains(out + ":2: the last record was cut off"), said.toString());
            assertEquals(1, log.progress().done());
            assertEquals(1, log.firstUndecided(0, i -> true));
            log.decide(new Decision(1, Answer.ACCEPT, List.of()));
        }
        assertEquals(2, Files.readAllLines(out).size());
        assertEquals(2, SpanReader.read(out, StandardCharsets.UTF_8, Offsets.UTF_16, WORDS).sentences().size());
    }

    @Test
    void aWholeLastRecordWithoutItsLineEndIsKept() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of()));
        }
        String whole = Files.readString(out);
        Files.writeString(out, whole.substring(0, whole.length() - 1));
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            assertTrue(log.decided(0));
        }
        assertEquals(whole, Files.readString(out));
    }

    @Test
    void theOutputOfAnotherBatchIsRefusedNamingFileAndLine() throws Exception {
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, threeTexts(), err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of()));
        }
        AnnotationBatch other = batch("{\"text\": \"Jeff Dean lebt in Zürich.\"}", "{\"text\": \"Noch ein Text\"}");
        XnerInputException e = assertThrows(XnerInputException.class, () -> DecisionLog.open(out, other, err));
        assertTrue(e.getMessage().startsWith(out + ":1: belongs to another batch"), e.getMessage());
        assertTrue(e.getMessage().contains(other.sha256()), e.getMessage());

        Files.writeString(out, "{\"text\": \"Jeff Dean\", \"spans\": [], \"answer\": \"accept\"}\n"); // Prodigy's, not ours
        e = assertThrows(XnerInputException.class, () -> DecisionLog.open(out, other, err));
        assertTrue(e.getMessage().startsWith(out + ":1: no \"_batch\""), e.getMessage());
    }

    @Test
    void aDamagedLineBeforeTheLastIsRefused() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of()));
            log.decide(new Decision(1, Answer.ACCEPT, List.of()));
        }
        List<String> lines = Files.readAllLines(out);
        Files.write(out, List.of(lines.get(0).substring(0, 30), lines.get(1)));
        XnerInputException e = assertThrows(XnerInputException.class, () -> DecisionLog.open(out, batch, err));
        assertTrue(e.getMessage().startsWith(out + ":1: not a decision record"), e.getMessage());
    }

    @Test
    void aSecondDecisionOnATextIsRefusedAndNeverWritten() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(1, Answer.ACCEPT, List.of()));
            DecisionLog.Conflict c = assertThrows(DecisionLog.Conflict.class, () -> log.decide(new Decision(1, Answer.REJECT, List.of())));
            assertTrue(c.getMessage().contains("line 2 of batch.jsonl has been decided already"), c.getMessage());
            XnerInputException locked = assertThrows(XnerInputException.class, () -> DecisionLog.open(out, batch, err));
            assertTrue(locked.getMessage().contains("another process is writing it"), locked.getMessage());
        }
        assertEquals(1, Files.readAllLines(out).size());
        // a file that holds two (joined by hand) is refused, naming both lines
        String line = Files.readString(out);
        Files.writeString(out, line + line);
        XnerInputException e = assertThrows(XnerInputException.class, () -> DecisionLog.open(out, batch, err));
        assertTrue(e.getMessage().startsWith(out + ":2: a second decision on " + batch.file() + ":2 (the first is line 1)"), e.getMessage());
    }

    @Test
    void undoTakesBackTheLastDecisionOnly() throws Exception {
        AnnotationBatch batch = threeTexts();
        Path out = dir.resolve("annotated.jsonl");
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            log.decide(new Decision(0, Answer.ACCEPT, List.of(new Span(0, 9, "PER"))));
            String afterFirst = Files.readString(out);
            log.decide(new Decision(1, Answer.REJECT, List.of(new Span(5, 9, "ORG"))));
            assertThrows(DecisionLog.Conflict.class, () -> log.undo(0), "a later decision stands after it");
            assertThrows(DecisionLog.Conflict.class, () -> log.undo(2), "undecided");
            Decision back = log.undo(1);
            assertEquals(new Decision(1, Answer.REJECT, List.of(new Span(5, 9, "ORG"))), back);
            assertEquals(afterFirst, Files.readString(out));
            assertFalse(log.decided(1));
            log.decide(new Decision(1, Answer.ACCEPT, List.of()));
        }
        try (DecisionLog log = DecisionLog.open(out, batch, err)) {
            assertEquals(2, log.progress().done());
            assertEquals(2, log.progress().accepted());
        }
    }

    @Test
    void theBatchIsNotItsOwnOutput() throws Exception {
        AnnotationBatch batch = threeTexts();
        XnerInputException e = assertThrows(XnerInputException.class, () -> DecisionLog.open(batch.file(), batch, err));
        assertTrue(e.getMessage().contains("the output is the batch itself"), e.getMessage());
    }
}
