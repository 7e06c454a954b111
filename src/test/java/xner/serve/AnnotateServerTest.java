package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.serve.AnnotationBatch.Span;

/** The correction page's HTTP routes over a real Jetty on an ephemeral port. */
class AnnotateServerTest {
    @TempDir Path dir;
    private final HttpClient client = HttpClient.newHttpClient();
    private AnnotationBatch batch;
    private DecisionLog log;
    private AnnotateServer server;
    private Path out;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("batch.jsonl");
        Files.write(file, List.of(
                "{\"text\": \"Jeff Dean lebt in Zürich.\", \"entities\": [{\"entity_group\": \"PER\", \"start\": 0, \"end\": 9}]}",
                "{\"text\": \"Google in Genf\"}",
                "{\"text\": \"Noch ein Text\", \"entities\": []}"));
        batch = AnnotationBatch.read(file, true, DecisionLogTest.TYPES, DecisionLogTest.WORDS);
        out = dir.resolve("annotated.jsonl");
        log = DecisionLog.open(out, batch, new PrintWriter(new StringWriter()));
        // a stand-in model: "Google" is an ORG, "Genf" a LOC of a type the page does not offer ("CITY"), left out
        server = AnnotateServer.start(batch, log, DecisionLogTest.WORDS,
                text -> text.startsWith("Google") ? List.of(new Span(0, 6, "ORG"), new Span(10, 14, "CITY")) : List.of(),
                "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        log.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void thePageAndTheFirstTextWithItsWordsAndEntities() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>xner: annotate</title>"));
        JsonObject task = json(get("/api/task?tab=a"));
        assertEquals(0, task.get("index").getAsInt());
        assertEquals(1, task.get("line").getAsInt());
        assertEquals("[[0,4],[5,9],[10,14],[15,17],[18,24],[24,25]]", task.get("words").toString());
        assertEquals("[{\"start\":0,\"end\":9,\"label\":\"PER\"}]", task.get("spans").toString());
        assertEquals("[\"PER\",\"ORG\",\"LOC\"]", task.get("types").toString());
        assertEquals(3, task.getAsJsonObject("progress").get("total").getAsInt());
    }

    @Test
    void aDecisionIsOnDiskWhenAnsweredAndASecondOneIsRefused() throws Exception {
        String decide = "{\"tab\": \"a\", \"index\": 0, \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}]}";
        HttpResponse<String> r = post("/api/decide", decide);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json(r).getAsJsonObject("progress").get("done").getAsInt());
        assertEquals(1, Files.readAllLines(out).size());
        r = post("/api/decide", decide.replace("accept", "reject"));
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(json(r).get("error").getAsString().contains("has been decided already"), r.body());
        assertEquals(1, Files.readAllLines(out).size());
        // the next text is the model's pre-annotation, its unknown type left out
        JsonObject task = json(get("/api/task?tab=a"));
        assertEquals(1, task.get("index").getAsInt());
        assertEquals("[{\"start\":0,\"end\":6,\"label\":\"ORG\"}]", task.get("spans").toString());
    }

    @Test
    void twoTabsAreHandedDifferentTextsAndTheirRaceWritesOneRecord() throws Exception {
        assertEquals(0, json(get("/api/task?tab=a")).get("index").getAsInt());
        assertEquals(1, json(get("/api/task?tab=b")).get("index").getAsInt());
        assertEquals(0, json(get("/api/task?tab=a")).get("index").getAsInt(), "a tab asking again keeps its text");
        // both tabs decide text 2 at once, ten times over: one record
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String tab = i % 2 == 0 ? "a" : "b";
                Callable<HttpResponse<String>> c = () -> post("/api/decide", "{\"tab\": \"" + tab + "\", \"index\": 2, \"answer\": \"accept\"}");
                answers.add(pool.submit(c));
            }
            int ok = 0;
            for (Future<HttpResponse<String>> f : answers) {
                int status = f.get().statusCode();
                assertTrue(status == 200 || status == 409, f.get().body());
                if (status == 200) ok++;
            }
            assertEquals(1, ok);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Files.readAllLines(out).size());
    }

    @Test
    void badDecisionsAreRefusedNamingTheField() throws Exception {
        record Case(String body, int status, String message) {}
        for (Case c : List.of(
                new Case("{\"index\": 0, \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PERSON\"}]}", 422,
                        "spans[0]: the label \"PERSON\" is not one of the types PER, ORG, LOC"),
                new Case("{\"index\": 0, \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 7, \"label\": \"PER\"}]}", 422,
                        "spans[0]: ends at 7, which is not the end of a word"),
                new Case("{\"index\": 0, \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 99, \"label\": \"PER\"}]}", 422,
                        "spans[0]: ends at 99, past the text's 25 characters"),
                new Case("{\"index\": 3, \"answer\": \"accept\"}", 422, "field \"index\": expected a text's index, 0 to 2"),
                new Case("{\"index\": 0, \"answer\": \"maybe\"}", 422, "field \"answer\""),
                new Case("{\"index\": 0, \"answer\": \"accept\", \"spans\": [{\"start\": 0, \"end\": 9}]}", 422, "field \"spans[0].label\""),
                new Case("index=0", 400, "the body is not JSON"))) {
            HttpResponse<String> r = post("/api/decide", c.body());
            assertEquals(c.status(), r.statusCode(), c.body() + " → " + r.body());
            assertTrue(json(r).get("error").getAsString().contains(c.message()), r.body());
        }
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(server.uri().resolve("/api/decide"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"index\": 0, \"answer\": \"accept\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, plain.statusCode(), "a form post from another site is no decision");
        assertEquals(404, get("/api/nothing").statusCode());
        assertEquals(405, post("/api/task", "{}").statusCode());
        assertTrue(!Files.exists(out) || Files.readAllLines(out).isEmpty(), "nothing written");
    }

    @Test
    void undoGivesTheTextBackWithItsDecidedSpans() throws Exception {
        post("/api/decide", "{\"tab\": \"a\", \"index\": 0, \"answer\": \"reject\", \"spans\": [{\"start\": 10, \"end\": 14, \"label\": \"LOC\"}]}");
        post("/api/decide", "{\"tab\": \"b\", \"index\": 1, \"answer\": \"accept\"}");
        HttpResponse<String> r = post("/api/undo", "{\"tab\": \"a\", \"index\": 0}");
        assertEquals(409, r.statusCode(), "tab b's decision came after it");
        assertTrue(json(r).get("error").getAsString().contains("only the last decision can be undone"), r.body());
        assertEquals(200, post("/api/undo", "{\"tab\": \"b\", \"index\": 1}").statusCode());
        r = post("/api/undo", "{\"tab\": \"a\", \"index\": 0}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("reject", json(r).get("answer").getAsString());
        assertEquals("[{\"start\":10,\"end\":14,\"label\":\"LOC\"}]", json(r).get("spans").toString());
        assertTrue(Files.readAllLines(out).isEmpty());
        assertEquals(0, json(get("/api/task?tab=a")).get("index").getAsInt());
    }

    @Test
    void whenAllIsDecidedThePageIsToldSo() throws Exception {
        for (int i = 0; i < 3; i++) assertEquals(200, post("/api/decide", "{\"index\": " + i + ", \"answer\": \"ignore\"}").statusCode());
        JsonObject task = json(get("/api/task?tab=a"));
        assertTrue(task.get("done").getAsBoolean());
        assertEquals(3, task.getAsJsonObject("progress").get("ignored").getAsInt());
        URI uri = server.uri();
        assertTrue(uri.getPort() > 0);
    }
}
