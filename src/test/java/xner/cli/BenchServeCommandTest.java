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
}
