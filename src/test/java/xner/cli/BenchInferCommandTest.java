package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.infer.KeywordModel;
import xner.testing.Cli;
import xner.testing.TestData;

/** {@code xner bench infer} smoke-tested at tiny sizes (a tiny model, a few sentences): it runs and counts right. */
class BenchInferCommandTest {
    @TempDir static Path dir;
    static String model;

    @BeforeAll
    static void model() {
        model = KeywordModel.standard(dir.resolve("model")).toString();
    }

    @Test
    void optionsDefaultToTheSwissGermanTestSplitAtBatchOneAndThirtyTwo() {
        BenchInferCommand c = new BenchInferCommand();
        new CommandLine(c).parseArgs("--mbert");
        assertEquals(List.of(1, 32), c.batches);
        assertEquals("de", c.lang);
        assertEquals("test", c.split);
        assertTrue(c.weights.mbert);
        assertEquals("swiss", c.data.corpus);
    }

    @Test
    void realSentencesAtTwoBatchSizes() {
        String data = TestData.panx().toString();
        Cli.Run r = Cli.run("bench", "infer", "--model", model, "--data-dir", data, "--batch", "1,4",
                "--max-sentences", "9", "--warmup", "1", "--json");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("PAN-X de test (swiss)", report.get("input").getAsString());
        JsonArray results = report.getAsJsonArray("results");
        assertEquals(2, results.size());
        JsonObject one = results.get(0).getAsJsonObject();
        JsonObject four = results.get(1).getAsJsonObject();
        assertEquals(9, one.get("sentences").getAsInt());
        assertEquals(9, one.get("calls").getAsInt());
        assertEquals(3, four.get("calls").getAsInt());
        assertEquals(one.get("tokens").getAsLong(), four.get("tokens").getAsLong(), "the same sentences, the same tokens");
        assertEquals(one.get("tokens").getAsLong(), one.get("computed_tokens").getAsLong(), "batch 1 pads nothing");
        assertTrue(four.get("computed_tokens").getAsLong() >= four.get("tokens").getAsLong());
        assertTrue(one.get("tokens_per_second").getAsDouble() > 0);
    }

    @Test
    void aChunkIsSortedByLengthAndPadsNoMoreThanBatchesInFileOrder() {
        String data = TestData.panx().toString();
        Cli.Run r = Cli.run("bench", "infer", "--model", model, "--data-dir", data, "--batch", "4",
                "--max-sentences", "9", "--warmup", "0", "--json");
        Cli.Run c = Cli.run("bench", "infer", "--model", model, "--data-dir", data, "--batch", "4",
                "--chunk", "9", "--max-sentences", "9", "--warmup", "0", "--json");
        assertEquals(Xner.EXIT_OK, c.exit(), c.err());
        JsonObject inOrder = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        JsonObject chunked = JsonParser.parseString(c.out()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals(4, inOrder.get("chunk").getAsInt());
        assertEquals(9, chunked.get("chunk").getAsInt());
        assertEquals(1, chunked.get("calls").getAsInt());
        assertEquals(inOrder.get("tokens").getAsLong(), chunked.get("tokens").getAsLong());
        assertTrue(chunked.get("computed_tokens").getAsLong() <= inOrder.get("computed_tokens").getAsLong(),
                chunked + " vs " + inOrder);
        Cli.Run bad = Cli.run("bench", "infer", "--model", model, "--length", "8", "--chunk", "4");
        assertEquals(Xner.EXIT_BAD_INPUT, bad.exit());
        assertTrue(bad.err().contains("--chunk applies to sentences, not to --length"), bad.err());
    }

    @Test
    void theReferenceShapeTimesTheModelAlone() {
        Cli.Run r = Cli.run("bench", "infer", "--model", model, "--length", "8", "--batch", "3",
                "--steps", "2", "--warmup", "0");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.out().contains("\nfp32 product peak: "), "the machine's product rates: " + r.out());
        List<String> lines = r.out().lines().filter(l -> !l.contains(" product peak: ")).toList();
        assertTrue(lines.get(0).contains("random ids of 8 tokens"), r.out());
        assertTrue(lines.get(1).startsWith("libtorch: loaded in "), r.out());
        assertTrue(lines.get(2).startsWith("libtorch batch   3: 6 rows in "), r.out());
        assertTrue(lines.get(2).contains("(48 tokens, 48 computed with padding)"), r.out());
    }

    @Test
    void everyRuntimeIsTimedInOneRun() {
        Path folder = dir.resolve("model");
        assertEquals(Xner.EXIT_OK, Cli.run("export", "--model", folder.toString(), "--output", folder.toString()).exit());
        assertEquals(Xner.EXIT_OK, Cli.run("export", "--model", folder.toString(), "--output", folder.toString(), "--quantize", "int8").exit());
        Cli.Run r = Cli.run("bench", "infer", "--model", model, "--length", "8", "--batch", "2", "--steps", "2", "--warmup", "0",
                "--runtime", "libtorch,onnx,onnx-int8", "--json");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        JsonArray results = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("results");
        assertEquals(List.of("libtorch", "onnx model.onnx", "onnx model_quantized.onnx"),
                results.asList().stream().map(e -> e.getAsJsonObject().get("runtime").getAsString()).toList());
        for (var e : results) {
            JsonObject row = e.getAsJsonObject();
            assertEquals(4, row.get("sentences").getAsInt(), row.toString());
            assertTrue(row.get("load_seconds").getAsDouble() > 0 && row.get("p99_call_ms").getAsDouble() >= row.get("median_call_ms").getAsDouble(),
                    row.toString());
        }
        Cli.Run mbert = Cli.run("bench", "infer", "--mbert", "--length", "8", "--runtime", "onnx");
        assertEquals(Xner.EXIT_BAD_INPUT, mbert.exit());
        assertTrue(mbert.err().contains("--mbert runs on libtorch only"), mbert.err());
    }

    @Test
    void aModelMustBeNamed() {
        Cli.Run r = Cli.run("bench", "infer", "--length", "8");
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("--model=DIR|ORG/NAME[@REV] | --mbert"), r.err());
    }
}
