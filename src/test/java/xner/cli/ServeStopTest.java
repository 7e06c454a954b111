package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/**
 * SIGTERM to a real {@code xner serve} process while the model tags a long request and short ones wait (issue 26
 * §2), on libtorch and on ONNX Runtime: every request gets an HTTP answer (its result, or 503), the process exits 0,
 * and the JVM leaves no crash report ({@code hs_err_pid*.log}) in its working folder.
 */
class ServeStopTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void models() {
        model = KeywordModel.standard(dir.resolve("model"));
        Cli.Run int8 = Cli.run("export", "--model", model.toString(), "--output", model.toString(), "--quantize", "int8");
        assertEquals(Xner.EXIT_OK, int8.exit(), int8.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"libtorch", "onnx-int8"})
    void sigtermWhileTheModelRunsAnswersEveryRequestAndExitsCleanly(String runtime) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-" + runtime));
        Path err = work.resolve("serve.log"); // stdout and stderr
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "xner.cli.Xner", "serve",
                "--model", model.toString(), "--runtime", runtime, "--port", "0", "--max-request-tokens", "100000000",
                "--max-body-bytes", "8000000", "--max-inputs", "256", "--max-queue", "1024", "--shutdown-timeout", "1")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            URI uri = address(p, err);
            JsonArray texts = new JsonArray();
            String paragraph = "Jeff Dean arbeitet bei Google in Kalifornien, und Angela Merkel besucht Zürich. ";
            for (int i = 0; i < 200; i++) texts.add(paragraph.repeat(20_000 / paragraph.length()));
            JsonObject longRequest = new JsonObject();
            longRequest.add("inputs", texts);
            answers.add(client.sendAsync(post(uri, longRequest.toString()), HttpResponse.BodyHandlers.ofString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (health(client, uri).get("waiting_tokens").getAsLong() == 0) { // until the long request is under way
                assertTrue(System.nanoTime() < deadline && p.isAlive(), () -> "the long request never reached the model: " + read(err));
                Thread.sleep(20);
            }
            for (int i = 0; i < 10; i++) {
                answers.add(client.sendAsync(post(uri, "{\"inputs\": \"Jeff Dean ist in Zürich " + i + "\"}"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(200);
            assertFalse(answers.get(0).isDone(), "the long request was still being tagged when SIGTERM came");
            p.toHandle().destroy(); // SIGTERM, as systemd and docker stop send it
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> "the service did not stop: " + read(err));
        } finally {
            p.destroyForcibly();
        }
        String said = read(err);
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS); // an unanswered request fails here
            assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
        }
        assertEquals(0, p.exitValue(), said);
        assertFalse(said.contains("SIGSEGV") || said.contains("fatal error"), said);
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("hs_err")).toList());
        }
    }

    /** The address the service prints once it listens. */
    private static URI address(Process p, Path err) throws Exception {
        Pattern serving = Pattern.compile("at (http://\\S+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = serving.matcher(read(err));
            if (m.find()) return URI.create(m.group(1));
            assertTrue(p.isAlive(), () -> "the service did not start (exit " + p.exitValue() + "): " + read(err));
            Thread.sleep(50);
        }
        throw new AssertionError("the service did not say where it listens: " + read(err));
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static JsonObject health(HttpClient client, URI uri) throws IOException, InterruptedException {
        String body = client.send(HttpRequest.newBuilder(uri.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JsonParser.parseString(body).getAsJsonObject();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
