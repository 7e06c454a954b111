package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/**
 * Span files through {@code evaluate} and {@code train} on the keyword model: what {@code tag} and {@code select}
 * write reads back word for word, Python's code-point offsets with {@code --offsets code-points}, and a span that
 * does not fit is one line naming file, line and span.
 */
class SpanFilesCommandTest {
    @TempDir static Path dir;
    static String model;

    @BeforeAll
    static void model() {
        model = KeywordModel.standard(dir.resolve("model")).toString();
    }

    private static JsonObject scores(Cli.Run evaluate, Path file) {
        return JsonParser.parseString(evaluate.out()).getAsJsonObject().getAsJsonObject(file.toString());
    }

    @Test
    void tagsOwnOutputEvaluatesAsAPerfectScoreOfTheModelThatWroteIt() throws IOException {
        // the model's entities as gold: read back into the same words and tags, they score F1 1
        Path texts = Files.write(dir.resolve("texts.txt"), List.of("Jeff Dean ist ein Informatiker bei Google in Kalifornien",
                "My name is Sylvain and I work at Hugging Face in Brooklyn", "Microsoft, M\u00fcller!", "", "Z\u00fcrich und Gen\u00e8ve."));
        Path tagged = dir.resolve("tagged.jsonl");
        assertEquals(Xner.EXIT_OK, Cli.run("tag", "--model", model, "--input", texts.toString(), "--output", tagged.toString()).exit());
        Cli.Run evaluate = Cli.run("evaluate", "--model", model, "--test", tagged.toString(), "--json");
        assertEquals(Xner.EXIT_OK, evaluate.exit(), evaluate.err());
        JsonObject s = scores(evaluate, tagged);
        assertEquals(1.0, s.get("f1").getAsDouble(), 1e-12, evaluate.out());
        assertEquals(4, s.get("sentences").getAsInt(), "the empty text has no word: left out");
        assertTrue(s.getAsJsonObject("per_type").getAsJsonObject("PER").get("support").getAsInt() >= 3, evaluate.out());
        assertTrue(evaluate.err().contains("4 texts, spans (offsets in utf-16) made into IOB2 tags of the tokenizer's words; "
                + "left out: 1 without words"), evaluate.err());

        Cli.Run analyze = Cli.run("analyze", "--model", model, "--test", tagged.toString(), "--json");
        assertEquals(Xner.EXIT_OK, analyze.exit(), analyze.err());

        Path batch = dir.resolve("batch.jsonl");
        assertEquals(Xner.EXIT_OK, Cli.run("select", "--model", model, "--input", texts.toString(), "--count", "3", "--output",
                batch.toString()).exit());
        Cli.Run selected = Cli.run("evaluate", "--model", model, "--test", batch.toString(), "--json");
        assertEquals(Xner.EXIT_OK, selected.exit(), selected.err());
        assertEquals(1.0, scores(selected, batch).get("f1").getAsDouble(), 1e-12, selected.out());
    }

    @Test
    void pythonsCodePointOffsetsReadWithTheOptionAndAreNamedWithout() throws IOException {
        // doccano as Python counts: "😀" is one code point; Jeff Dean is 2–11 (UTF-16: 3–12)
        Path doccano = Files.writeString(dir.resolve("doccano.jsonl"),
                "{\"text\": \"Sylvain und Google\", \"label\": [[0, 7, \"PER\"], [12, 18, \"ORG\"]]}\n"
                        + "{\"text\": \"\uD83D\uDE00 Jeff Dean\", \"label\": [[2, 11, \"PER\"]]}\n");
        Cli.Run right = Cli.run("evaluate", "--model", model, "--test", doccano.toString(), "--offsets", "code-points", "--json");
        assertEquals(Xner.EXIT_OK, right.exit(), right.err());
        assertEquals(1.0, scores(right, doccano).get("f1").getAsDouble(), 1e-12, right.out());

        Cli.Run wrong = Cli.run("evaluate", "--model", model, "--test", doccano.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, wrong.exit(), wrong.err());
        assertEquals("xner: " + doccano + ":2: label[0] [2, 11, \"PER\"]: starts between words at a space, before the word "
                + "\"Jeff\" (3–7); counted in code points it would be \"Jeff Dean\": if the file counts "
                + "code points, give --offsets code-points", wrong.err().strip());
    }

    @Test
    void aSpanThatCutsAWordStopsTrainingWithFileLineAndSpan() throws IOException {
        Path prodigy = Files.writeString(dir.resolve("prodigy.jsonl"),
                "{\"text\": \"Jeff Dean bei Google\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}], \"answer\": \"accept\"}\n"
                        + "{\"text\": \"Hugging Face in Brooklyn\", \"spans\": [{\"start\": 0, \"end\": 10, \"label\": \"ORG\"}]}\n");
        Cli.Run r = Cli.run("train", "--train", prodigy.toString(), "--validation", prodigy.toString(), "--model", model,
                "--output", dir.resolve("refused").toString());
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().strip().endsWith(prodigy + ":2: spans[0] {start 0, end 10, label \"ORG\"}: ends inside the word "
                + "\"Face\" (8–12)"), r.err());
    }

    @Test
    void trainReadsProdigyDoccanoAndTagsOutputAlike() throws IOException {
        Path prodigy = Files.writeString(dir.resolve("train-prodigy.jsonl"),
                "{\"text\": \"Jeff Dean bei Google\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}, "
                        + "{\"start\": 14, \"end\": 20, \"label\": \"ORG\"}], \"answer\": \"accept\"}\n"
                        + "{\"text\": \"Sylvain in Brooklyn\", \"spans\": [{\"start\": 0, \"end\": 7, \"label\": \"PER\"}], \"answer\": \"reject\"}\n"
                        + "{\"text\": \"Sylvain in Brooklyn\", \"spans\": [{\"start\": 0, \"end\": 7, \"label\": \"PER\"}, "
                        + "{\"start\": 11, \"end\": 19, \"label\": \"LOC\"}], \"answer\": \"accept\"}\n");
        Path doccano = Files.writeString(dir.resolve("validation-doccano.jsonl"),
                "{\"text\": \"M\u00fcller in Z\u00fcrich\", \"label\": [[0, 6, \"PER\"], [10, 16, \"LOC\"]]}\n");
        Path out = dir.resolve("trained");
        Cli.Run r = Cli.run("train", "--train", prodigy.toString(), "--validation", doccano.toString(), "--model", model,
                "--epochs", "1", "--batch-size", "2", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains(prodigy + ": 2 texts, spans (offsets in utf-16) made into IOB2 tags of the tokenizer's words; "
                + "left out: 1 rejected"), r.err());
        assertTrue(r.err().contains("xner: labels O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC"), r.err());
        assertTrue(r.err().contains("training on 2 sentences"), r.err());
    }
}
