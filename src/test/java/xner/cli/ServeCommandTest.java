package xner.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.infer.Aggregation;
import xner.infer.KeywordModel;
import xner.data.Offsets;
import xner.serve.Settings;
import xner.testing.Cli;

class ServeCommandTest {
    @TempDir Path dir;

    @Test
    void defaultsAreLoopbackPort8080AndTheInferenceApisSimple() {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs("--model", "m");
        Settings s = c.settings();
        assertEquals("127.0.0.1", s.host());
        assertEquals(8080, s.port());
        assertEquals(Aggregation.SIMPLE, s.aggregation());
        assertEquals(Settings.DEFAULTS, s);
        new CommandLine(c).parseArgs("--model", "m", "--host", "0.0.0.0", "--port", "9000", "--aggregation", "first", "--max-queue", "512");
        assertEquals(new Settings("0.0.0.0", 9000, 1 << 20, 20_000, 64, 512, 32,
                Settings.DEFAULT_MAX_REQUEST_TOKENS, java.time.Duration.ofSeconds(60), Aggregation.FIRST, Offsets.UTF_16, 0,
                java.time.Duration.ofSeconds(5), null), c.settings());
    }

    @Test
    void theShutdownTimeoutIsSecondsAndNotNegative() {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs("--model", "m", "--shutdown-timeout", "30");
        assertEquals(java.time.Duration.ofSeconds(30), c.settings().shutdownTimeout());
        new CommandLine(c).parseArgs("--model", "m", "--shutdown-timeout", "-1");
        assertThrows(xner.XnerInputException.class, c::settings);
    }

    @Test
    void offsetsAreUtf16UnlessCodePointsAreAskedFor() {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs("--model", "m", "--offsets", "code-points");
        assertEquals(Offsets.CODE_POINTS, c.settings().offsets());
        new CommandLine(c).parseArgs("--model", "m", "--offsets", "bytes");
        xner.XnerInputException e = assertThrows(xner.XnerInputException.class, c::settings);
        assertEquals("--offsets: unknown offsets \"bytes\" (expected utf-16 or code-points)", e.getMessage());
    }

    @Test
    void anApiKeyComesFromTheOptionOrTheEnvironmentAndAServiceOpenToTheNetworkWithoutOneIsWarnedOf() {
        ServeCommand c = new ServeCommand();
        CommandLine cli = new CommandLine(c);
        assertEquals("${env:XNER_API_KEY}", assertDoesNotThrow(() -> ServeCommand.class.getDeclaredField("apiKey"))
                .getAnnotation(CommandLine.Option.class).defaultValue());
        cli.parseArgs("--model", "m", "--host", "0.0.0.0");
        assertEquals(System.getenv("XNER_API_KEY"), c.settings().apiKey());
        if (System.getenv("XNER_API_KEY") == null) {
            assertTrue(ServeCommand.warning(c.settings()).startsWith("xner: warning: listening on 0.0.0.0 without an API key: "),
                    ServeCommand.warning(c.settings()));
        }
        cli.parseArgs("--model", "m", "--host", "0.0.0.0", "--api-key", "s3cret");
        assertEquals("s3cret", c.settings().apiKey());
        assertNull(ServeCommand.warning(c.settings()));
        cli.parseArgs("--model", "m", "--api-key", "s3cret");
        assertNull(ServeCommand.warning(c.settings()), "on loopback a key is optional");
        cli.parseArgs("--model", "m", "--api-key", "");
        assertThrows(xner.XnerInputException.class, c::settings);
    }

    @Test
    void serveAnswersUntilInterrupted() throws Exception {
        String model = KeywordModel.standard(dir.resolve("model")).toString();
        Cli.Background serving = Cli.start("serve", "--model", model, "--port", "0");
        Matcher m = serving.awaitErr(Pattern.compile("serving .* at (http://127\\.0\\.0\\.1:\\d+/)"));
        assertTrue(m.find(0), serving.err());
        URI uri = URI.create(m.group(1));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"Jeff Dean ist in Zürich\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("[{\"entity_group\":\"PER\","), r.body());
        serving.thread().interrupt();
        serving.thread().join(TimeUnit.SECONDS.toMillis(20));
        assertTrue(!serving.thread().isAlive(), "the command returned");
        assertEquals(Xner.EXIT_OK, serving.exit(), serving.err());
    }
}
