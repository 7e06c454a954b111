package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.LabelSet;
import xner.data.Offsets;
import xner.infer.Aggregation;
import xner.infer.KeywordModel;
import xner.infer.TagPipeline;
import xner.infer.Tagged;

/** The service on 127.0.0.1 and an ephemeral port, with the keyword model (or a stand-in tagger to hold the queue). */
class TagServerTest {
    @TempDir static Path dir;
    static TagPipeline pipeline;
    static TagServer server;
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final String SENTENCE = "My name is Sylvain and I work at Hugging Face in Brooklyn";

    @BeforeAll
    static void start() {
        pipeline = TagPipeline.load(KeywordModel.standard(dir.resolve("model")));
        server = TagServer.start(pipeline, Settings.DEFAULTS.withAddress("127.0.0.1", 0).withLimits(4096, 200, 4, 8));
    }

    @AfterAll
    static void stop() {
        server.close();
        pipeline.close();
    }

    record Answer(int status, String type, String body) {
        JsonElement json() {
            return JsonParser.parseString(body);
        }
    }

    static Answer post(URI uri, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static String entities(JsonArray list) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : list) {
            JsonObject o = e.getAsJsonObject();
            String label = o.has("entity_group") ? o.get("entity_group").getAsString() : o.get("entity").getAsString();
            out.add(label + " " + o.get("word").getAsString() + " " + o.get("start").getAsInt() + "-" + o.get("end").getAsInt());
        }
        return String.join(", ", out);
    }

    @Test
    void bindsToTheLoopbackAddressByDefault() {
        assertEquals("127.0.0.1", Settings.DEFAULTS.host());
        assertEquals("127.0.0.1", server.uri().getHost());
        assertTrue(server.port() > 0);
    }

    @Test
    void oneTextIsAnsweredWithAListOfEntitiesAsTheInferenceApiDoes() throws Exception {
        Answer a = post(server.uri(), "{\"inputs\": \"" + SENTENCE + "\"}");
        assertEquals(200, a.status(), a.body());
        assertTrue(a.type().startsWith("application/json"), a.type());
        JsonArray list = a.json().getAsJsonArray();
        assertEquals("PER Sylvain 11-18, ORG Hugging Face 33-45, LOC Brooklyn 49-57", entities(list));
        JsonObject first = list.get(0).getAsJsonObject();
        assertEquals(List.of("entity_group", "score", "word", "start", "end"), List.copyOf(first.keySet()));
        assertTrue(first.get("score").getAsDouble() > 0.95);
    }

    @Test
    void aListOfTextsIsAnsweredWithAListOfLists() throws Exception {
        Answer a = post(server.uri().resolve("/predict"),
                "{\"inputs\": [\"Jeff Dean ist in Zürich\", \"\", \"Google\"], \"parameters\": {\"aggregation_strategy\": \"first\"}}");
        assertEquals(200, a.status(), a.body());
        JsonArray lists = a.json().getAsJsonArray();
        assertEquals(3, lists.size());
        assertEquals("PER Jeff Dean 0-9, LOC Zürich 17-23", entities(lists.get(0).getAsJsonArray()));
        assertEquals("", entities(lists.get(1).getAsJsonArray()));
        assertEquals("ORG Google 0-6", entities(lists.get(2).getAsJsonArray()));
    }

    @Test
    void theDefaultStrategyIsSimpleAndParametersChooseAnother() throws Exception {
        assertEquals("ORG Micro 0-5, PER soft 5-9", entities(post(server.uri(), "{\"inputs\": \"Microsoft\"}").json().getAsJsonArray()));
        assertEquals("ORG Microsoft 0-9", entities(post(server.uri(),
                "{\"inputs\": \"Microsoft\", \"parameters\": {\"aggregation_strategy\": \"first\"}}").json().getAsJsonArray()));
        JsonArray tokens = post(server.uri(), "{\"inputs\": \"Jeff in Zürich\", \"parameters\": {\"aggregation_strategy\": \"none\", "
                + "\"ignore_labels\": []}}").json().getAsJsonArray();
        assertEquals("B-PER Jeff 0-4, O in 5-7, B-LOC Zürich 8-14", entities(tokens));
        assertEquals(List.of("entity", "score", "index", "word", "start", "end"), List.copyOf(tokens.get(0).getAsJsonObject().keySet()));
        assertEquals("LOC Zürich 8-14", entities(post(server.uri(), "{\"inputs\": \"Jeff in Zürich\", \"parameters\": "
                + "{\"ignore_labels\": [\"O\", \"PER\"]}, \"options\": {\"wait_for_model\": true}}").json().getAsJsonArray()));
    }

    @Test
    void offsetsAreUtf16UnlessTheRequestOrTheServerAsksForCodePoints() throws Exception {
        // the emoji is two UTF-16 units and one code point: every offset after it differs by one
        String text = "\ud83d\ude00 Jeff Dean in Zürich";
        Answer utf16 = post(server.uri(), "{\"inputs\": \"" + text + "\"}");
        assertEquals("PER Jeff Dean 3-12, LOC Zürich 16-22", entities(utf16.json().getAsJsonArray()));
        assertEquals("Jeff Dean", text.substring(3, 12));
        Answer points = post(server.uri(), "{\"inputs\": [\"" + text + "\"], \"parameters\": {\"offsets\": \"code-points\"}}");
        assertEquals(200, points.status(), points.body());
        assertEquals("PER Jeff Dean 2-11, LOC Zürich 15-21", entities(points.json().getAsJsonArray().get(0).getAsJsonArray()));
        int[] cps = text.codePoints().toArray(); // Python's text[2:11]
        assertEquals("Jeff Dean", new String(cps, 2, 9));
        JsonArray tokens = post(server.uri(), "{\"inputs\": \"" + text + "\", \"parameters\": {\"offsets\": \"code-points\", "
                + "\"aggregation_strategy\": \"none\"}}").json().getAsJsonArray();
        assertEquals("B-PER Jeff 2-6, I-PER Dean 7-11, B-LOC Zürich 15-21", entities(tokens));
        assertEquals(List.of("entity", "score", "index", "word", "start", "end"), List.copyOf(tokens.get(0).getAsJsonObject().keySet()));
        assertError(post(server.uri(), "{\"inputs\": \"a\", \"parameters\": {\"offsets\": \"bytes\"}}"), 422,
                "parameters.offsets: unknown offsets \"bytes\" (expected utf-16 or code-points)");
        assertError(post(server.uri(), "{\"inputs\": \"a\", \"parameters\": {\"offsets\": 16}}"), 422,
                "field \"parameters.offsets\": expected a string, found a number");

        Settings python = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withOffsets(Offsets.CODE_POINTS);
        try (TagServer s = new TagServer(Batcher.Model.of(pipeline), "python", "test", LabelSet.PANX, python).start()) {
            assertEquals("code-points", health(s).get("default_offsets").getAsString());
            assertEquals("PER Jeff Dean 2-11, LOC Zürich 15-21", entities(post(s.uri(), "{\"inputs\": \"" + text + "\"}").json().getAsJsonArray()));
            assertEquals("PER Jeff Dean 3-12, LOC Zürich 16-22", entities(post(s.uri(),
                    "{\"inputs\": \"" + text + "\", \"parameters\": {\"offsets\": \"utf-16\"}}").json().getAsJsonArray()));
        }
        assertEquals("utf-16", health(server).get("default_offsets").getAsString());
    }

    @Test
    void minScoreLeavesOutEntitiesScoredBelowIt() throws Exception {
        JsonArray all = post(server.uri(), "{\"inputs\": \"Jeff Dean ist in Zürich\"}").json().getAsJsonArray();
        assertFalse(all.isEmpty());
        double best = 0;
        for (JsonElement e : all) best = Math.max(best, e.getAsJsonObject().get("score").getAsDouble());
        assertEquals("[]", post(server.uri(), "{\"inputs\": \"Jeff Dean ist in Zürich\", \"parameters\": {\"min_score\": "
                + Math.nextUp(best) + "}}").body());
        assertEquals(all, post(server.uri(), "{\"inputs\": \"Jeff Dean ist in Zürich\", \"parameters\": {\"min_score\": 0}}").json());
        assertError(post(server.uri(), "{\"inputs\": \"x\", \"parameters\": {\"min_score\": \"high\"}}"), 422,
                "field \"parameters.min_score\": expected a number from 0 to 1, found a string");
        assertError(post(server.uri(), "{\"inputs\": \"x\", \"parameters\": {\"min_score\": 2}}"), 422,
                "field \"parameters.min_score\": 2 is not from 0 to 1");
    }

    @Test
    void healthNamesTheModelAndItsLabels() throws Exception {
        Answer a = send(HttpRequest.newBuilder(server.uri().resolve("/health")).GET().build());
        assertEquals(200, a.status());
        JsonObject o = a.json().getAsJsonObject();
        assertEquals("ok", o.get("status").getAsString());
        assertEquals("model", o.get("model").getAsString());
        assertEquals(pipeline.runtime(), o.get("runtime").getAsString());
        assertEquals("libtorch", o.get("runtime").getAsString());
        assertEquals(7, o.getAsJsonArray("labels").size());
        assertEquals("simple", o.get("default_aggregation_strategy").getAsString());
    }

    @Test
    void thePageIsServedAtTheRoot() throws Exception {
        Answer a = send(HttpRequest.newBuilder(server.uri()).GET().build());
        assertEquals(200, a.status());
        assertTrue(a.type().startsWith("text/html"), a.type());
        assertTrue(a.body().contains("<textarea"), a.body());
    }

    static void assertError(Answer a, int status, String start) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.type().startsWith("application/json"), a.type());
        JsonObject o = a.json().getAsJsonObject();
        assertEquals(List.of("error"), List.copyOf(o.keySet()), a.body());
        assertTrue(o.get("error").getAsString().startsWith(start), a.body());
        assertFalse(a.body().contains("Exception") || a.body().contains("\tat ") || a.body().contains("xner."), "no trace: " + a.body());
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        assertError(post(server.uri(), "{\"inputs\": \"x\""), 400, "the request body is not JSON");
        assertError(post(server.uri(), "{'inputs': 'x'}"), 400, "the request body is not JSON");
        assertError(post(server.uri(), "{\"inputs\": \"x\"} trailing"), 400, "the request body is not JSON");
        assertError(post(server.uri(), "[\"x\"]"), 400, "expected a JSON object");
        assertError(post(server.uri(), ""), 400, "the request body is not JSON");
        // strict JSON, in the project's words: no Gson advice, line and column or link
        Answer duplicate = post(server.uri(), "{\"inputs\": \"a\", \"inputs\": \"b\"}");
        assertError(duplicate, 400, "the request body is not JSON: duplicate name at column 25 (path $.inputs): the name \"inputs\" twice in one object");
        Answer nan = post(server.uri(), "{\"inputs\": \"a\", \"parameters\": {\"ignore_labels\": NaN}}");
        assertError(nan, 400, "the request body is not JSON: malformed at column 49 (path $.parameters.ignore_labels): NaN: JSON has no NaN");
        Answer pretty = post(server.uri(), "{\n  \"inputs\": \"a\",\n  \"inputs\": \"b\"\n}");
        assertError(pretty, 400, "the request body is not JSON: duplicate name at line 3, column");
        assertError(post(server.uri(), "[".repeat(3_000)), 400, "the request body is not JSON: nested deeper than 64 levels");
        Answer single = post(server.uri(), "{'inputs': 'x'}");
        for (Answer a : List.of(duplicate, nan, single, pretty)) {
            assertFalse(a.body().contains("setStrictness") || a.body().contains("github.com") || a.body().contains("line 1 column"), a.body());
        }
    }

    @Test
    void aBodyThatIsNotUtf8NamesTheByte() {
        byte[] body = "{\"inputs\": \"Z\u00fcrich\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        HttpError e = org.junit.jupiter.api.Assertions.assertThrows(HttpError.class, () -> PredictRequest.parse(body, Settings.DEFAULTS));
        assertEquals("the request body is not UTF-8: a malformed byte sequence at byte 13", e.getMessage());
    }

    @Test
    void invalidRequestsAre422() throws Exception {
        assertError(post(server.uri(), "{}"), 422, "field \"inputs\" is missing");
        assertError(post(server.uri(), "{\"inputs\": 42}"), 422, "field \"inputs\": expected a string, found a number");
        assertError(post(server.uri(), "{\"inputs\": [\"a\", null]}"), 422, "field \"inputs[1]\": expected a string, found null");
        assertError(post(server.uri(), "{\"inputs\": []}"), 422, "field \"inputs\": an empty list");
        assertError(post(server.uri(), "{\"inputs\": \"a\", \"parameters\": {\"aggregation_strategy\": \"mean\"}}"), 422,
                "parameters.aggregation_strategy: unknown aggregation strategy \"mean\"");
        assertError(post(server.uri(), "{\"inputs\": \"a\", \"parameters\": {\"top_k\": 3}}"), 422, "unknown parameter \"top_k\"");
        assertError(post(server.uri(), "{\"inputs\": \"a\", \"parameters\": []}"), 422, "field \"parameters\": expected an object");
        assertError(post(server.uri(), "{\"text\": \"a\"}"), 422, "unknown field \"text\"");
    }

    @Test
    void tooLargeRequestsAre413() throws Exception {
        assertError(post(server.uri(), "{\"inputs\": \"" + "a".repeat(201) + "\"}"), 413, "field \"inputs\": 201 characters, over the limit of 200");
        assertError(post(server.uri(), "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}"), 413, "field \"inputs\": 5 texts, over the limit of 4");
        assertError(post(server.uri(), "{\"inputs\": \"" + "a ".repeat(3000) + "\"}"), 413, "the request body of 6014 bytes is over the limit of 4096");
        // without a Content-Length (chunked), the limit is found while reading
        byte[] big = ("{\"inputs\": \"" + "a ".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Answer chunked = send(HttpRequest.newBuilder(server.uri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
        assertError(chunked, 413, "the request body is over the limit of 4096 bytes");
    }

    static Answer postAs(URI uri, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b.build());
    }

    @Test
    void aBodyNotLabelledJsonIs415() throws Exception {
        // text/plain is what a page on another site may POST without the browser asking the service first
        String body = "{\"inputs\": \"Google\"}";
        assertError(postAs(server.uri(), "text/plain", body), 415, "Content-Type \"text/plain\": the body must be application/json");
        assertError(postAs(server.uri().resolve("/predict"), "application/x-www-form-urlencoded", body), 415, "Content-Type");
        assertError(postAs(server.uri(), null, body), 415, "the request has no Content-Type: send \"Content-Type: application/json\"");
        Answer latin = postAs(server.uri(), "application/json; charset=ISO-8859-1", body);
        assertError(latin, 415, "Content-Type \"application/json; charset=");
        assertTrue(latin.body().endsWith("\": the body must be UTF-8\"}"), latin.body());
        for (String type : List.of("application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\"")) {
            Answer a = postAs(server.uri(), type, body);
            assertEquals(200, a.status(), type + ": " + a.body());
            assertEquals("ORG Google 0-6", entities(a.json().getAsJsonArray()));
        }
    }

    @Test
    void withAnApiKeyEveryRouteButThePageNeedsTheBearerToken() throws Exception {
        String key = "k3y-0f-th1s-serv1ce";
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withApiKey(key);
        try (TagServer locked = new TagServer(Batcher.Model.of(pipeline), "locked", "test", LabelSet.PANX, settings).start()) {
            String body = "{\"inputs\": \"Google\"}";
            HttpRequest.Builder none = HttpRequest.newBuilder(locked.uri()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> refused = CLIENT.send(none.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
            assertEquals("Bearer realm=\"xner\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            assertError(send(none.build()), 401, "this service needs an API key: send the header \"Authorization: Bearer KEY\"");
            for (String wrong : List.of("Bearer " + key + "x", "Bearer " + key.substring(1), "Bearer ", "Basic " + key, key)) {
                Answer a = send(HttpRequest.newBuilder(locked.uri()).header("Content-Type", "application/json").header("Authorization", wrong)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertEquals(401, a.status(), wrong + ": " + a.body());
            }
            assertError(send(HttpRequest.newBuilder(locked.uri().resolve("/health")).GET().build()), 401, "this service needs an API key");
            assertError(send(HttpRequest.newBuilder(locked.uri()).header("Authorization", "Bearer nope").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build()), 401, "the API key in the Authorization header is not this service's");
            for (String scheme : List.of("Bearer ", "bearer ")) {
                Answer a = send(HttpRequest.newBuilder(locked.uri()).header("Content-Type", "application/json").header("Authorization", scheme + key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                assertEquals(200, a.status(), a.body());
                assertEquals("ORG Google 0-6", entities(a.json().getAsJsonArray()));
            }
            assertEquals(200, send(HttpRequest.newBuilder(locked.uri().resolve("/health")).header("Authorization", "Bearer " + key).GET().build())
                    .status());
            Answer page = send(HttpRequest.newBuilder(locked.uri()).GET().build());
            assertEquals(200, page.status(), "the page loads without the key, and asks for it");
            assertTrue(page.body().contains("id=\"key\""), "the page has a key field");
        }
        // without a key, an Authorization header (the Hugging Face client's token) is ignored
        Answer a = send(HttpRequest.newBuilder(server.uri()).header("Content-Type", "application/json").header("Authorization", "Bearer hf_x")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"Google\"}")).build());
        assertEquals(200, a.status(), a.body());
    }

    @Test
    void anApiKeyIsPrintableAsciiAndNeverShown() {
        assertThrows(() -> Settings.DEFAULTS.withApiKey(""));
        assertThrows(() -> Settings.DEFAULTS.withApiKey("two words"));
        assertFalse(Settings.DEFAULTS.withApiKey("s3cret").toString().contains("s3cret"));
    }

    @Test
    void unknownPathsAndMethodsAre404And405() throws Exception {
        assertError(send(HttpRequest.newBuilder(server.uri().resolve("/nope")).GET().build()), 404, "no such path: /nope");
        Answer put = send(HttpRequest.newBuilder(server.uri().resolve("/predict")).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(put, 405, "method not allowed here; use POST");
        assertError(send(HttpRequest.newBuilder(server.uri().resolve("/health")).DELETE().build()), 405, "method not allowed here; use GET");
    }

    @Test
    void garbageOnTheWireIsAJson400() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("BLAH / HTTP/9.9 nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("Content-Type: application/json"), response);
            assertTrue(response.contains("{\"error\":\"Bad Request"), response);
        }
    }

    /** A stand-in for the pipeline that records each call and can be held still. */
    static final class HeldTagger {
        final List<Integer> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        List<Tagged> tag(List<String> texts) {
            calls.add(texts.size());
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return texts.stream().map(t -> new Tagged(t, List.of(), LabelSet.PANX)).toList();
        }
    }

    @Test
    void concurrentRequestsAreTaggedTogetherAndAFullQueueIs503() throws Exception {
        HeldTagger held = new HeldTagger();
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withLimits(4096, 200, 4, 7).withBatch(32);
        try (TagServer small = new TagServer(new TextModel(held::tag), "held", "test", LabelSet.PANX, settings).start()) {
            CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(json(small.uri(), "{\"inputs\": \"one\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(held.entered.await(10, TimeUnit.SECONDS), "the worker took the first request");
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(CLIENT.sendAsync(json(small.uri(), "{\"inputs\": [\"a\", \"b\"]}"), HttpResponse.BodyHandlers.ofString()));
                // wait until the request is queued, so that the 503 below is deterministic
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (health(small).get("waiting").getAsInt() < 1 + 2 * (i + 1) && System.nanoTime() < deadline) Thread.sleep(10);
            }
            assertEquals(7, health(small).get("waiting").getAsInt(), "the one under way and the six behind it");
            Answer busy = send(json(small.uri(), "{\"inputs\": \"one too many\"}"));
            assertError(busy, 503, "busy: 7 texts are already waiting for the model");
            held.release.countDown();
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            for (CompletableFuture<HttpResponse<String>> w : waiting) {
                HttpResponse<String> r = w.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("[[],[]]", r.body());
            }
            assertEquals(List.of(1, 6), held.calls, "the three waiting requests went to the model in one call");
        }
    }

    @Test
    void aFailingModelIsA500WithoutTrace() throws Exception {
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0);
        java.util.function.Function<List<String>, List<Tagged>> broken = texts -> {
            throw new IllegalStateException("native failure in xner.model");
        };
        try (TagServer failing = new TagServer(new TextModel(broken), "broken", "test", LabelSet.PANX, settings).start()) {
            assertError(post(failing.uri(), "{\"inputs\": \"x\"}"), 500, "internal error: the model could not tag this request");
            assertEquals(200, send(HttpRequest.newBuilder(failing.uri().resolve("/health")).GET().build()).status(), "still serving");
        }
    }

    /**
     * The keyword pipeline behind a gate that holds its first call, and refuses a batch holding a text marked
     * BAD (as the pipeline refuses input) or CRASH (as a bug in it fails).
     */
    static final class MarkedTagger {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        List<Tagged> tag(List<String> texts) {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (String t : texts) {
                if (t.contains("BAD")) throw new IllegalArgumentException("a lone surrogate at character 4");
                if (t.contains("CRASH")) throw new ArrayIndexOutOfBoundsException("Index 13 out of bounds for length 12");
            }
            return pipeline.tagBatch(texts);
        }
    }

    static void awaitWaiting(TagServer s, int texts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (health(s).get("waiting").getAsInt() < texts && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(texts, health(s).get("waiting").getAsInt());
    }

    @Test
    void aTextTheModelRefusesIs422ForItsRequestAloneAndTheRequestsBatchedWithItAreAnswered() throws Exception {
        MarkedTagger marked = new MarkedTagger();
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0);
        try (TagServer s = new TagServer(new TextModel(marked::tag), "marked", "test", LabelSet.PANX, settings).start()) {
            CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"" + SENTENCE + "\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(marked.entered.await(10, TimeUnit.SECONDS), "the worker took the first request");
            List<CompletableFuture<HttpResponse<String>>> innocent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                innocent.add(CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"" + SENTENCE + "\"}"), HttpResponse.BodyHandlers.ofString()));
            }
            awaitWaiting(s, 4);
            CompletableFuture<HttpResponse<String>> bad = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": [\"Google\", \"x BAD\"]}"),
                    HttpResponse.BodyHandlers.ofString());
            awaitWaiting(s, 6);
            CompletableFuture<HttpResponse<String>> crash = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"CRASH\"}"),
                    HttpResponse.BodyHandlers.ofString());
            awaitWaiting(s, 7);
            for (int i = 0; i < 3; i++) {
                innocent.add(CLIENT.sendAsync(json(s.uri(), "{\"inputs\": [\"Jeff Dean ist in Zürich\"]}"), HttpResponse.BodyHandlers.ofString()));
            }
            awaitWaiting(s, 10);
            marked.release.countDown();

            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            for (int i = 0; i < innocent.size(); i++) {
                HttpResponse<String> r = innocent.get(i).get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                JsonArray list = JsonParser.parseString(r.body()).getAsJsonArray();
                if (i < 3) assertEquals("PER Sylvain 11-18, ORG Hugging Face 33-45, LOC Brooklyn 49-57", entities(list));
                else assertEquals("PER Jeff Dean 0-9, LOC Zürich 17-23", entities(list.get(0).getAsJsonArray()));
            }
            assertError(answer(bad), 422, "field \"inputs[1]\": the model cannot tag this text: a lone surrogate at character 4");
            assertError(answer(crash), 500, "internal error: the model could not tag this request (field \"inputs\")");
        }
    }

    @Test
    void aLoneSurrogateFailsOnlyItsOwnRequest() throws Exception {
        // legal JSON that the tokenizer could not convert: whatever it answers for that text, the others are tagged
        HeldTagger held = new HeldTagger();
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0);
        java.util.function.Function<List<String>, List<Tagged>> gated = texts -> {
            if (held.calls.isEmpty()) held.tag(texts);
            else held.calls.add(texts.size());
            return pipeline.tagBatch(texts);
        };
        try (TagServer s = new TagServer(new TextModel(gated), "gated", "test", LabelSet.PANX, settings).start()) {
            CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"Google\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(held.entered.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<HttpResponse<String>>> innocent = new ArrayList<>();
            for (int i = 0; i < 4; i++) innocent.add(CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"Jeff Dean ist in Zürich\"}"),
                    HttpResponse.BodyHandlers.ofString()));
            CompletableFuture<HttpResponse<String>> lone = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": [\"Jeff \\ud800 Dean\"]}"),
                    HttpResponse.BodyHandlers.ofString());
            awaitWaiting(s, 6);
            held.release.countDown();
            assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
            for (CompletableFuture<HttpResponse<String>> f : innocent) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("PER Jeff Dean 0-9, LOC Zürich 17-23", entities(JsonParser.parseString(r.body()).getAsJsonArray()));
            }
            Answer a = answer(lone);
            if (a.status() != 200) {
                assertTrue(a.status() == 422 || a.status() == 500, a.body());
                assertTrue(a.body().contains("inputs[0]"), "names the text: " + a.body());
            }
        }
    }

    static Answer answer(CompletableFuture<HttpResponse<String>> f) throws Exception {
        HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    @Test
    void requestsUnderWayWhenTheServerClosesAreAllAnsweredAndNewConnectionsAreNotTaken() throws Exception {
        HeldTagger held = new HeldTagger();
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withShutdownTimeout(java.time.Duration.ofSeconds(5));
        TagServer s = new TagServer(new TextModel(held::tag), "held", "test", LabelSet.PANX, settings).start();
        CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"one\"}"), HttpResponse.BodyHandlers.ofString());
        assertTrue(held.entered.await(10, TimeUnit.SECONDS), "the worker took the first request");
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(CLIENT.sendAsync(json(s.uri(), "{\"inputs\": [\"a\", \"b\"]}"), HttpResponse.BodyHandlers.ofString()));
        }
        awaitWaiting(s, 7);
        URI uri = s.uri();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        Thread.sleep(1_500); // the model is slower than the connections' idle time while stopping (a second)
        assertFalse(closing.isDone(), "close() waits for the requests under way");
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        CompletableFuture<HttpResponse<String>> late = fresh.sendAsync(json(uri, "{\"inputs\": \"late\"}"), HttpResponse.BodyHandlers.ofString());
        held.release.countDown();

        HttpResponse<String> r = first.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        for (CompletableFuture<HttpResponse<String>> w : waiting) {
            r = w.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("[[],[]]", r.body());
        }
        closing.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1, 6), held.calls, "the queue was tagged, in one call, before the server closed");
        try {
            HttpResponse<String> l = late.get(10, TimeUnit.SECONDS);
            assertEquals(503, l.statusCode(), "a request after close() is refused, if it is answered at all: " + l.body());
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof IOException, "a new connection is not taken: " + e.getCause());
        }
    }

    /**
     * A request that would keep the model for minutes neither starves the others nor holds up a stop (issue 26): short
     * requests that arrive behind it are answered between its slices; after the shutdown timeout the model stops between
     * two forward passes, the long request gets 503 with Retry-After, and the model is free to be closed, so no native
     * memory is freed under a running pass.
     */
    @Test
    void aLongRequestTakesTurnsWithShortOnesAndStopsBetweenPassesAtTheShutdownTimeout() throws Exception {
        SlicedModel slow = new SlicedModel(600, 50, false); // 600 windows of 512 tokens, two per pass: 15 s of "model time"
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withShutdownTimeout(java.time.Duration.ofMillis(500))
                .withRequestBudget(1_000_000, java.time.Duration.ofSeconds(60));
        TagServer s = new TagServer(slow, "slow", "test", LabelSet.PANX, settings).start();
        CompletableFuture<HttpResponse<String>> longOne = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"long\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(slow.entered.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = CLIENT.send(json(s.uri(), "{\"inputs\": \"short " + i + "\"}"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "answered between the long request's slices: " + r.body());
            assertEquals(1, slow.passesWith("short " + i), "one pass for one short window");
        }
        assertFalse(longOne.isDone(), "the long request is still under way");
        JsonObject health = health(s);
        assertEquals(1, health.get("waiting").getAsInt());
        assertTrue(health.get("waiting_tokens").getAsLong() > 0 && health.get("waiting_tokens").getAsLong() < 600 * 512, health.toString());
        long started = System.nanoTime();
        s.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds < 5, "close() waited " + seconds + " s: at most the timeout and one pass, not the whole request");
        assertTrue(s.modelStopped(), "the model is free: the pipeline may be closed");
        assertTrue(slow.passesWith("long") < 300, "the long request was cut short after " + slow.passesWith("long") + " passes");
        HttpResponse<String> r = longOne.get(10, TimeUnit.SECONDS);
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), "503 says when to come back");
        assertEquals("{\"error\":\"the service is shutting down: try again when it is back\"}", r.body());
    }

    @Test
    void aRequestOverTheTokenBudgetIs413BeforeAnyModelWorkAndOneWaitingPastTheTimeoutIs504() throws Exception {
        SlicedModel model = new SlicedModel(20, 0, true); // "long": 20 windows of 512 tokens = 10,240 tokens
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withRequestBudget(8192, java.time.Duration.ofSeconds(1));
        try (TagServer s = new TagServer(model, "budget", "test", LabelSet.PANX, settings).start()) {
            assertError(post(s.uri(), "{\"inputs\": \"long\"}"), 413, "the request's 1 text makes 10240 model tokens (sub-tokens of "
                    + "every window), over the limit of 8192 per request (--max-request-tokens)");
            assertEquals(0, model.passes.size(), "no model work for a refused request");
            int prepared = model.prepared();
            assertError(post(s.uri(), "{\"inputs\": [\"long 1\", \"long 2\", \"short\"]}"), 413, "the request's 3 texts make more: "
                    + "the first 1 alone makes 10240 model tokens (sub-tokens of every window), over the limit of 8192 per request");
            assertEquals(prepared + 1, model.prepared(), "the texts after the budget was passed are not even tokenized");
            assertEquals(0, model.passes.size());

            CompletableFuture<HttpResponse<String>> held = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"first\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<HttpResponse<String>> late = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"late\"}"),
                    HttpResponse.BodyHandlers.ofString());
            awaitWaiting(s, 2);
            Thread.sleep(1_500); // the held pass outlasts the one-second timeout of both
            Answer overloaded = send(HttpRequest.newBuilder(s.uri().resolve("/health")).GET().build());
            assertEquals(503, overloaded.status(), overloaded.body());
            assertEquals("overloaded", overloaded.json().getAsJsonObject().get("status").getAsString());
            assertTrue(overloaded.json().getAsJsonObject().get("oldest_wait_ms").getAsLong() >= 1_000, overloaded.body());
            model.release.countDown();
            assertEquals(200, held.get(10, TimeUnit.SECONDS).statusCode(), "its pass was under way: it is answered");
            assertError(answer(late), 504, "the request waited more than 1 s for the model (--request-timeout)");
            assertEquals(0, model.passesWith("late"), "a timed-out request's windows are never run");
        }
    }

    @Test
    void requestsStillWaitingAtTheShutdownTimeoutAre503AndTheOneBeingTaggedIsAnswered() throws Exception {
        HeldTagger held = new HeldTagger();
        Settings settings = Settings.DEFAULTS.withAddress("127.0.0.1", 0).withShutdownTimeout(java.time.Duration.ofMillis(500));
        TagServer s = new TagServer(new TextModel(held::tag), "held", "test", LabelSet.PANX, settings).start();
        CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"one\"}"), HttpResponse.BodyHandlers.ofString());
        assertTrue(held.entered.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) waiting.add(CLIENT.sendAsync(json(s.uri(), "{\"inputs\": \"two\"}"), HttpResponse.BodyHandlers.ofString()));
        awaitWaiting(s, 3);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        Thread.sleep(1_000); // past the 0.5 s for the queue, within the as long again for the call under way
        held.release.countDown();
        HttpResponse<String> r = first.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        for (CompletableFuture<HttpResponse<String>> w : waiting) {
            r = w.get(10, TimeUnit.SECONDS);
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("{\"error\":\"the service is shutting down: try again when it is back\"}", r.body());
        }
        closing.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1), held.calls, "the waiting requests never reached the model");
        s.close(); // again: nothing happens
    }

    static HttpRequest json(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static JsonObject health(TagServer s) throws Exception {
        return send(HttpRequest.newBuilder(s.uri().resolve("/health")).GET().build()).json().getAsJsonObject();
    }

    @Test
    void aPortInUseIsBadInputNamingTheAddress() {
        Settings taken = Settings.DEFAULTS.withAddress("127.0.0.1", server.port());
        xner.XnerInputException e = org.junit.jupiter.api.Assertions.assertThrows(xner.XnerInputException.class,
                () -> new TagServer(new TextModel(texts -> List.of()), "x", "test", LabelSet.PANX, taken).start());
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + server.port() + ": "), e.getMessage());
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThrows(() -> Settings.DEFAULTS.withLimits(1024, 100, 10, 5));
        assertThrows(() -> Settings.DEFAULTS.withAddress("127.0.0.1", 70000));
        assertEquals(Aggregation.SIMPLE, Settings.DEFAULTS.aggregation());
    }

    static void assertThrows(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(xner.XnerInputException.class, r::run);
    }
}
