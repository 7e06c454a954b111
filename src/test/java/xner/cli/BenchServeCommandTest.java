package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/** The soak against a real service over a keyword model: every request answered, bad ones alone refused. */
class BenchServeCommandTest {
    @TempDir Path dir;

    @Test
    void percentilesAreNearestRank() {
        assertEquals(49, BenchServeCommand.percentileIndex(100, 0.50));
        assertEquals(98, BenchServeCommand.percentileIndex(100, 0.99));
        assertEquals(0, BenchServeCommand.percentileIndex(1, 0.99));
    }

    @Test
    void aSoakCountsEveryRequestAndOnlyTheBadOnesFail() throws Exception {
        String model = KeywordModel.standard(dir.resolve("model")).toString();
        Cli.Background serving = Cli.start("serve", "--model", model, "--port", "0", "--max-text-chars", "2000");
        try {
            Matcher m = serving.awaitErr(Pattern.compile("serving .* at (http://127\\.0\\.0\\.1:\\d+/)"));
            assertTrue(m.find(0), serving.err());
            Path texts = dir.resolve("texts.txt");
            Files.write(texts, List.of("Jeff Dean ist in Zürich", "", "Microsoft " + "und Google ".repeat(150), "kurz"));
            Cli.Run run = Cli.run("bench", "serve", "--url", m.group(1), "--texts", texts.toString(),
                    "--requests", "120", "--concurrency", "1,6", "--bad-every", "10", "--max-text-chars", "2000", "--json");
            assertEquals(Xner.EXIT_OK, run.exit(), run.err());
            JsonArray levels = JsonParser.parseString(run.out()).getAsJsonArray();
            assertEquals(2, levels.size());
            for (var l : levels) {
                JsonObject level = l.getAsJsonObject();
                assertEquals(120, level.get("requests").getAsInt());
                assertEquals(JsonParser.parseString("{\"200\": 108}"), level.get("statuses"), level.toString());
                JsonObject bad = level.getAsJsonObject("bad_request_statuses");
                assertEquals(12, bad.entrySet().stream().mapToLong(e -> e.getValue().getAsLong()).sum(), bad.toString());
                assertFalse(bad.keySet().stream().anyMatch(s -> s.startsWith("5") || s.startsWith("no answer")), bad.toString());
            }
        } finally {
            serving.thread().interrupt();
            serving.thread().join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    @Test
    void slopesAreLeastSquares() {
        List<double[]> samples = List.of(new double[] {0, 100, 30}, new double[] {10, 110, 30}, new double[] {20, 120, 30});
        assertEquals(1.0, ServeSoak.slope(samples, 1), 1e-12);
        assertEquals(0.0, ServeSoak.slope(samples, 2), 1e-12);
        assertEquals(0.0, ServeSoak.slope(List.of(new double[] {0, 1, 1}), 1), 1e-12);
    }

    @Test
    void aShortSoakCountsEveryKindOfClientAndOnlyTheLargeOneMayBeToldToComeBack() throws Exception {
        String model = KeywordModel.standard(dir.resolve("soak-model")).toString();
        Cli.Background serving = Cli.start("serve", "--model", model, "--port", "0");
        try {
            Matcher m = serving.awaitErr(Pattern.compile("serving .* at (http://127\\.0\\.0\\.1:\\d+/)"));
            assertTrue(m.find(0), serving.err());
            Path texts = Files.write(dir.resolve("soak.txt"), List.of("Jeff Dean ist in Zürich", "Angela Merkel besucht Google"));
            Cli.Run run = Cli.run("bench", "serve", "--url", m.group(1), "--texts", texts.toString(), "--soak", "0.1");
            assertEquals(Xner.EXIT_OK, run.exit(), run.err());
            JsonObject statuses = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonObject("statuses");
            assertEquals(java.util.Set.of("bad", "disconnecting", "large", "short", "slow header"), statuses.keySet(), run.out());
            assertEquals(java.util.Set.of("200"), statuses.getAsJsonObject("short").keySet(), run.out());
            // the large client shares the queue's large part with the requests of the client that hangs up, which
            // HTTP/1.1 does not reveal while they wait: it may be told 503 (Retry-After), never left unanswered
            assertTrue(java.util.Set.of("200", "503").containsAll(statuses.getAsJsonObject("large").keySet()), run.out());
            assertFalse(statuses.getAsJsonObject("bad").keySet().stream().anyMatch(s -> s.startsWith("5") || s.startsWith("no")), run.out());
        } finally {
            serving.thread().interrupt();
            serving.thread().join(TimeUnit.SECONDS.toMillis(20));
        }
    }
}
