package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.PanxReader;
import xner.testing.Cli;
import xner.testing.TestData;
import xner.testing.TinyModels;

/** The train → evaluate → tag commands end to end on the real Swiss corpus, with a tiny random body. */
class TrainEvaluateTagCommandTest {
    @TempDir static Path dir;
    static Path body;
    static String data;

    private static boolean made;

    /**
     * Made before the first test, not in {@code @BeforeAll}: without its input each test skips with the reason, and
     * surefire's report counts them (a skip in {@code @BeforeAll} leaves neither the tests nor the reason there).
     */
    @BeforeEach
    void madeOnce() throws IOException {
        if (!made) tinyBody();
        made = true;
    }

    static void tinyBody() throws IOException {
        Path panx = TestData.panx();
        data = panx.toString();
        Dataset german = Dataset.read(new PanxReader(LabelSet.PANX), panx.resolve("de/train")).take(500);
        body = TinyModels.bertBody(dir.resolve("body"), german, 7);
    }

    @Test
    void trainThenEvaluateAsJsonThenTag() throws IOException {
        Path out = dir.resolve("run");
        Cli.Run train = Cli.run("train", "--data-dir", data, "--train-langs", "de",
                "--model", body.toString(), "--epochs", "1", "--batch-size", "8", "--max-train-samples", "32",
                "--max-validation-samples", "16", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, train.exit(), train.err());
        assertTrue(train.out().contains("validation F1"), train.out());
        assertTrue(train.err().contains("newly initialised: [classifier.weight, classifier.bias]"), train.err());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "train_log.json", "xner-run.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("xner-run.json"))).getAsJsonObject();
        assertTrue(run.getAsJsonObject("inputs").keySet().stream().anyMatch(f -> f.endsWith("de/train")), run.toString());

        Path predictions = dir.resolve("pred.conll");
        Cli.Run evaluate = Cli.run("evaluate", "--model", out.toString(), "--data-dir", data,
                "--langs", "it", "--split", "test", "--json", "--predictions", predictions.toString());
        assertEquals(Xner.EXIT_OK, evaluate.exit(), evaluate.err());
        JsonObject it = JsonParser.parseString(evaluate.out()).getAsJsonObject().getAsJsonObject("it");
        assertEquals(840, it.get("sentences").getAsInt());
        assertTrue(it.get("note").getAsString().contains("dev"), "Italian test figures say where they come from");
        assertEquals(List.of("LOC", "ORG", "PER"), List.copyOf(it.getAsJsonObject("per_type").keySet()));
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("-DOCSTART- O O", lines.get(0));
        assertEquals(3, lines.get(2).split(" ").length, lines.get(2));

        Cli.Run tag = Cli.run("tag", "--model", out.toString(), "Jeff Dean ist in Berlin");
        assertEquals(Xner.EXIT_OK, tag.exit(), tag.err());
        assertTrue(tag.out().startsWith("Tokens  [CLS]"), tag.out());
        assertTrue(tag.out().lines().skip(1).findFirst().orElseThrow().startsWith("Tags"), tag.out());
    }

    @Tag("slow")
    @Test
    void benchTrainTimesStepsAtAFixedShapeAndOnGroupedBatches() {
        Cli.Run fixed = Cli.run("bench", "train", "--data-dir", data, "--model", body.toString(),
                "--batch-size", "4", "--length", "12", "--steps", "2", "--warmup", "1");
        assertEquals(Xner.EXIT_OK, fixed.exit(), fixed.err());
        assertTrue(fixed.out().lines().anyMatch(l -> l.startsWith("RESULT xner-train B=4 T=12 sparse=true")), fixed.out());
        assertTrue(fixed.out().startsWith("CPU: "), "the CPU first: " + fixed.out());
        assertTrue(fixed.out().contains("mean-length=12.0"), fixed.out());
        Cli.Run grouped = Cli.run("bench", "train", "--data-dir", data, "--model",
                body.toString(), "--batch-size", "4", "--steps", "2", "--warmup", "1", "--dense-embeddings");
        assertEquals(Xner.EXIT_OK, grouped.exit(), grouped.err());
        assertTrue(grouped.out().lines().anyMatch(l -> l.startsWith("RESULT xner-train B=4 T=grouped sparse=false")), grouped.out());
    }

    @Test
    void unknownCorpusIsOneLineAndExitTwo() {
        Cli.Run r = Cli.run("train", "--data-dir", data, "--train-langs", "de",
                "--corpus", "nope", "--output", dir.resolve("x").toString(), "--model", body.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().startsWith("xner: --corpus: expected swiss or full"), r.err());
    }
}
