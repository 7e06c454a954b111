package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import picocli.CommandLine;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/**
 * {@code xner select} on the keyword model, whose entity words it tags with ≈ 0.99 and every other word O with
 * ≈ 0.96: a text of plain words is the least sure. What is chosen and written, repeats and annotated texts left
 * out, the output atomic, bad input named, and ONNX choosing as libtorch does.
 */
class SelectCommandTest {
    @TempDir static Path dir;
    static String model;
    static Path pool;

    static final List<String> POOL = List.of(
            "Jeff Dean ist ein Informatiker bei Google in Kalifornien",
            "My name is Sylvain and I work at Hugging Face in Brooklyn",
            "My name is",
            "Jeff Dean",
            "My name is",
            "",
            "Google in Brooklyn",
            "I work at Google in Z\u00fcrich");

    @BeforeAll
    static void modelAndPool() throws IOException {
        model = KeywordModel.standard(dir.resolve("model")).toString();
        pool = Files.write(dir.resolve("pool.txt"), POOL);
    }

    private static List<JsonObject> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static List<String> texts(Path file) throws IOException {
        return read(file).stream().map(o -> o.get("text").getAsString()).toList();
    }

    @Test
    void optionsParseWithMnlpAndSeed42AsDefaults() {
        SelectCommand c = new SelectCommand();
        new CommandLine(c).parseArgs("--model", "m", "--input", "pool.txt", "--count", "10", "--output", "batch.jsonl",
                "--exclude", "a.jsonl,b.jsonl");
        assertEquals("mnlp", c.strategy);
        assertEquals(42, c.seed);
        assertEquals(List.of(Path.of("a.jsonl"), Path.of("b.jsonl")), c.exclude);
        assertEquals(512, c.chunk);
    }

    @Test
    void helpStatesTheMemoryBound() {
        String help = Cli.run("select", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("memory holds the --count best records so far (a heap), one --chunk of records being tagged "
                + "and the texts of --exclude, whatever the pool's size"), help);
        assertTrue(Cli.run("--help").out().contains("select"), "registered as a subcommand");
    }

    @Test
    void theLeastSureTextsAreChosenOnceEachWithEntitiesAndScore() throws IOException {
        Path out = dir.resolve("batch.jsonl");
        Cli.Run r = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "3", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<JsonObject> chosen = read(out);
        assertEquals(3, chosen.size());
        assertEquals("My name is", chosen.get(0).get("text").getAsString(), "no entity word: the least sure");
        assertEquals(3, texts(out).stream().distinct().count(), "a repeated text is chosen once");
        assertFalse(texts(out).contains("Jeff Dean"), "two entity words: the surest");
        double previous = Double.NEGATIVE_INFINITY;
        for (JsonObject o : chosen) {
            assertEquals(List.of("text", "entities", "score"), List.copyOf(o.keySet()));
            double score = o.get("score").getAsDouble();
            assertTrue(score >= previous && score < 0, "mean log-probabilities, lowest first: " + chosen);
            previous = score;
        }
        JsonObject entity = chosen.stream().filter(o -> o.getAsJsonArray("entities").size() > 0).findFirst().orElseThrow()
                .getAsJsonArray("entities").get(0).getAsJsonObject();
        assertEquals(List.of("entity_group", "score", "word", "start", "end"), List.copyOf(entity.keySet()));
        assertTrue(r.err().contains("8 lines read, 6 texts scored, 0 already annotated (--exclude), 1 repeats, 1 without words, "
                + "0 skipped (malformed); 3 chosen (mnlp "), r.err());
        assertFalse(Files.exists(dir.resolve(".batch.jsonl.partial")));
        assertTrue(r.err().contains("selecting (mnlp): [####################] 100% 8 lines"), "progress on stderr: " + r.err());

        // entropy and random choose from the same pool; random's seed decides
        Path entropy = dir.resolve("entropy.jsonl");
        assertEquals(Xner.EXIT_OK, Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "1", "--output",
                entropy.toString(), "--strategy", "entropy").exit());
        assertEquals(List.of("My name is"), texts(entropy));
        Path random = dir.resolve("random.jsonl");
        Path again = dir.resolve("again.jsonl");
        Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "3", "--output", random.toString(),
                "--strategy", "random", "--seed", "5");
        Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "3", "--output", again.toString(),
                "--strategy", "random", "--seed", "5");
        assertEquals(Files.readString(random), Files.readString(again));
        assertEquals(3, texts(random).stream().distinct().count());
    }

    @Test
    void annotatedTextsAreNeverChosen() throws IOException {
        // a Prodigy export: the rejected text was seen too
        Path annotated = Files.writeString(dir.resolve("annotated.jsonl"),
                "{\"text\": \"My name is\", \"spans\": [], \"answer\": \"reject\"}\n"
                        + "{\"text\": \"Google in Brooklyn\", \"spans\": [{\"start\": 0, \"end\": 6, \"label\": \"ORG\"}], \"answer\": \"accept\"}\n");
        Path out = dir.resolve("excluded.jsonl");
        Cli.Run r = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "10", "--output", out.toString(),
                "--exclude", annotated.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertFalse(texts(out).contains("My name is"));
        assertFalse(texts(out).contains("Google in Brooklyn"));
        assertEquals(4, texts(out).size());
        assertTrue(r.err().contains("3 already annotated (--exclude)"), r.err());
    }

    @Test
    void anOutputThatCannotBeWrittenLeavesTheOldOneAsItWas() throws IOException {
        Path out = Files.writeString(dir.resolve("kept.jsonl"), "the last batch\n");
        Path partial = Files.createDirectory(dir.resolve(".kept.jsonl.partial")); // the temporary file cannot be made
        Cli.Run r = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "2", "--output", out.toString());
        assertEquals(Xner.EXIT_FAILURE, r.exit(), r.err());
        assertEquals("the last batch\n", Files.readString(out), "the final name is only ever a complete output");
        assertFalse(Files.exists(partial), "nothing left behind");
        Cli.Run ok = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "2", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, ok.exit(), ok.err());
        assertEquals(2, texts(out).size());
    }

    @Test
    void badInputIsNamedWithFileAndLine() throws IOException {
        Path jsonl = Files.writeString(dir.resolve("pool.jsonl"), "{\"text\": \"My name is\"}\n{text: 1}\n{\"text\": \"Jeff Dean\"}\n");
        Path out = dir.resolve("bad.jsonl");
        Cli.Run r = Cli.run("select", "--model", model, "--input", jsonl.toString(), "--count", "5", "--output", out.toString());
        assertEquals(Xner.EXIT_SKIPPED, r.exit(), r.err());
        assertTrue(r.err().contains(jsonl + ":2: not JSON: "), r.err());
        assertEquals(List.of("My name is", "Jeff Dean"), texts(out), "the output is still written");

        Path badExclude = Files.writeString(dir.resolve("bad-annotated.jsonl"), "{\"text\": \"a\", \"spans\": []}\n[1, 2]\n");
        Cli.Run e = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "5", "--output", out.toString(),
                "--exclude", badExclude.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, e.exit(), e.err());
        assertEquals("xner: " + badExclude + ":2: expected a JSON object with \"text\" and its spans, found an array", e.err().strip());

        Cli.Run count = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "0", "--output", out.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, count.exit());
        assertEquals("xner: --count must be >= 1, was 0", count.err().strip());
        Cli.Run strategy = Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "1", "--output",
                out.toString(), "--strategy", "margin");
        assertEquals("xner: --strategy: expected mnlp, entropy or random, got \"margin\"", strategy.err().strip());
    }

    @Test
    void conllPoolsAreSentencesOfWords() throws IOException {
        Path conll = Files.writeString(dir.resolve("pool.conll"), "Jeff B-PER\nDean I-PER\n\nMy O\nname O\nis O\n\n");
        Path out = dir.resolve("conll.jsonl");
        Cli.Run r = Cli.run("select", "--model", model, "--input", conll.toString(), "--count", "1", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        JsonObject chosen = read(out).get(0);
        assertEquals("My name is", chosen.get("text").getAsString());
        assertEquals("[\"My\",\"name\",\"is\"]", chosen.get("tokens").toString());
    }

    @Test
    void onnxChoosesAsLibtorchDoes() throws IOException {
        Path onnx = dir.resolve("onnx-model");
        Cli.Run export = Cli.run("export", "--model", model, "--output", onnx.toString());
        assertEquals(Xner.EXIT_OK, export.exit(), export.err());
        Path torchOut = dir.resolve("torch.jsonl");
        Path onnxOut = dir.resolve("onnx.jsonl");
        assertEquals(Xner.EXIT_OK, Cli.run("select", "--model", model, "--input", pool.toString(), "--count", "4", "--output",
                torchOut.toString()).exit());
        Cli.Run r = Cli.run("select", "--model", onnx.toString(), "--runtime", "onnx", "--input", pool.toString(), "--count", "4",
                "--output", onnxOut.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertEquals(texts(torchOut), texts(onnxOut));
        List<JsonObject> torch = read(torchOut);
        List<JsonObject> fromOnnx = read(onnxOut);
        for (int i = 0; i < torch.size(); i++) {
            assertEquals(torch.get(i).get("score").getAsDouble(), fromOnnx.get(i).get("score").getAsDouble(), 1e-4);
            assertEquals(torch.get(i).get("entities").getAsJsonArray().size(), fromOnnx.get(i).get("entities").getAsJsonArray().size());
        }
    }
}
