package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/**
 * {@code xner annotate}: bad input stops before the page starts with one line naming the file and line; a real
 * process killed with SIGKILL between decisions loses none it answered and goes on with the first undecided text;
 * SIGTERM exits 0.
 */
class AnnotateCommandTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void model() {
        model = KeywordModel.standard(dir.resolve("model"));
    }

    private static Cli.Run annotate(Path batch, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("annotate", "--model", model.toString(), "--input", batch.toString(),
                "--output", out.toString(), "--port", "0"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aBatchLineThatIsNotJsonIsNamed() throws IOException {
        Path batch = Files.write(dir.resolve("not-json.jsonl"), List.of("{\"text\": \"Jeff Dean\"}", "Jeff Dean ist in Zürich"));
        Cli.Run run = annotate(batch, dir.resolve("out-1.jsonl"));
        assertEquals(Xner.EXIT_BAD_INPUT, run.exit(), run.err());
        assertTrue(run.err().startsWith("xner: " + batch + ":2: not JSON: "), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void anUnknownLabelIsNamed() throws IOException {
        Path batch = Files.write(dir.resolve("label.jsonl"),
                List.of("{\"text\": \"Jeff Dean\", \"entities\": [{\"entity_group\": \"PERSON\", \"start\": 0, \"end\": 9}]}"));
        Cli.Run run = annotate(batch, dir.resolve("out-2.jsonl"));
        assertEquals(Xner.EXIT_BAD_INPUT, run.exit(), run.err());
        assertTrue(run.err().startsWith("xner: " + batch + ":1: entities[0]: unknown label \"PERSON\"; the types are PER, ORG, LOC"), run.err());
    }

    @Test
    void theOutputOfAnotherBatchIsRefused() throws IOException {
        Path out = dir.resolve("other.jsonl");
        Files.writeString(out, "{\"text\": \"Jeff Dean\", \"spans\": [], \"answer\": \"accept\", \"_batch\": {\"file\": \"old.jsonl\", "
                + "\"sha256\": \"" + "0".repeat(64) + "\", \"line\": 1}}\n");
        Path batch = Files.write(dir.resolve("new.jsonl"), List.of("{\"text\": \"Jeff Dean\", \"entities\": []}"));
        Cli.Run run = annotate(batch, out);
        assertEquals(Xner.EXIT_BAD_INPUT, run.exit(), run.err());
        assertTrue(run.err().startsWith("xner: " + out + ":1: belongs to another batch: its decisions were made on a batch file (old.jsonl)"),
                run.err());
    }

    @Test
    void labelsAreTypesOrALabelSet() {
        AnnotateCommand types = new AnnotateCommand();
        new CommandLine(types).parseArgs("--model", "m", "--input", "b", "--output", "o", "--labels", "LOC,PER");
        assertEquals(List.of("LOC", "PER"), types.types(model));
        AnnotateCommand labelSet = new AnnotateCommand();
        new CommandLine(labelSet).parseArgs("--model", "m", "--input", "b", "--output", "o", "--labels", "O,B-ORG,I-ORG,B-PER,I-PER");
        assertEquals(List.of("ORG", "PER"), labelSet.types(model));
        AnnotateCommand fromModel = new AnnotateCommand();
        new CommandLine(fromModel).parseArgs("--model", "m", "--input", "b", "--output", "o");
        assertEquals(List.of("PER", "ORG", "LOC"), fromModel.types(model));
    }

    /**
     * A real {@code xner annotate} process takes decisions as fast as one client sends them and is killed with SIGKILL
     * among them: every decision answered is in the file, the file is whole, and the process started again hands out
     * the first undecided text, then exits 0 on SIGTERM.
     */
    @Test
    @Tag("slow")
    void killedWithSigkillItLosesNoAnsweredDecisionAndGoesOn() throws Exception {
        Path work = Files.createDirectories(dir.resolve("kill"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) lines.add("{\"text\": \"Jeff Dean ist in Zürich " + i + "\", \"entities\": []}");
        Path batch = Files.write(work.resolve("batch.jsonl"), lines);
        Path out = work.resolve("annotated.jsonl");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        Process p = start(work, batch, out, "first.log");
        Set<Integer> answered = new HashSet<>();
        try {
            URI uri = address(p, work.resolve("first.log"));
            for (int i = 0; i < lines.size(); i++) {
                String body = "{\"index\": " + i + ", \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}]}";
                HttpResponse<String> r = client.send(post(uri.resolve("api/decide"), body), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                answered.add(i);
                if (i == 60) {
                    // the next decision is on its way when the process dies
                    client.sendAsync(post(uri.resolve("api/decide"), body.replace("\"index\": 60", "\"index\": 61")),
                            HttpResponse.BodyHandlers.ofString());
                    p.destroyForcibly(); // SIGKILL
                    break;
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        List<String> written = Files.readAllLines(out);
        assertTrue(written.size() == answered.size() || written.size() == answered.size() + 1, written.size() + " lines");
        for (int i = 0; i < answered.size(); i++) {
            JsonObject record = JsonParser.parseString(written.get(i)).getAsJsonObject();
            assertEquals(i + 1, record.getAsJsonObject("_batch").get("line").getAsInt());
        }

        Process again = start(work, batch, out, "second.log");
        try {
            URI uri = address(again, work.resolve("second.log"));
            JsonObject task = JsonParser.parseString(client.send(HttpRequest.newBuilder(uri.resolve("api/task?tab=t")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
            assertEquals(written.size(), task.get("index").getAsInt(), "the first undecided text");
            assertEquals(written.size(), task.getAsJsonObject("progress").get("done").getAsInt());
            HttpResponse<String> r = client.send(post(uri.resolve("api/decide"), "{\"index\": 0, \"answer\": \"reject\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(409, r.statusCode(), "decided before the kill: " + r.body());
            again.toHandle().destroy(); // SIGTERM
            assertTrue(again.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, again.exitValue(), Files.readString(work.resolve("second.log")));
        } finally {
            again.destroyForcibly();
        }
        assertEquals(written, Files.readAllLines(out), "nothing lost, nothing added");
        Cli.Run read = Cli.run("evaluate", "--model", model.toString(), "--test", out.toString());
        assertEquals(Xner.EXIT_OK, read.exit(), "evaluate reads it as a span file: " + read.err());
    }

    private static Process start(Path work, Path batch, Path out, String log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "xner.cli.Xner",
                "annotate", "--model", model.toString(), "--input", batch.toString(), "--output", out.toString(), "--port", "0")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(log).toFile()).start();
    }

    private static URI address(Process p, Path log) throws Exception {
        Pattern serving = Pattern.compile("annotating at (http://\\S+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = serving.matcher(Files.readString(log));
            if (m.find()) return URI.create(m.group(1));
            assertTrue(p.isAlive(), () -> "annotate did not start: " + read(log));
            Thread.sleep(50);
        }
        throw new AssertionError("annotate did not say where it listens: " + read(log));
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
