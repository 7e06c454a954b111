package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xner.XnerInputException;
import xner.data.WordCutter;
import xner.io.JsonOutput;
import xner.io.StrictJson;
import xner.serve.AnnotationBatch.Span;
import xner.serve.DecisionLog.Answer;
import xner.serve.DecisionLog.Decision;

/**
 * The correction page's routes: {@code GET /} (the page), {@code GET /api/task?tab=T} (the next undecided text for
 * the tab T, with its words and entities), {@code POST /api/decide} ({@code {"tab", "index", "answer", "spans"}},
 * written to the disk before the answer) and {@code POST /api/undo} ({@code {"tab", "index"}}: the last decision
 * taken back). A text handed to one tab is not handed to another while that tab holds it ({@link #LEASE_NANOS}),
 * unless nothing else is left; a decision on a text decided already is refused with 409, so two tabs never write
 * one text twice. Refusals are {@code {"error": "..."}}: 400 not JSON, 404, 405, 409, 413, 415, 422 a field at fault.
 */
final class AnnotateHandler extends Handler.Abstract {
    /** How long a text handed to a tab stays its own: then another tab may get it. */
    static final long LEASE_NANOS = 30L * 60 * 1_000_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(AnnotateHandler.class);
    private static final long MAX_BODY_BYTES = 4L << 20;

    private final AnnotationBatch batch;
    private final DecisionLog log;
    private final WordCutter words;
    private final Function<String, List<Span>> preAnnotator; // null: texts without entities start with none
    private final byte[] page;
    private final Map<Integer, List<Span>> preAnnotated = new ConcurrentHashMap<>();
    private final Map<String, Lease> leases = new HashMap<>(); // tab → the text it holds; guarded by itself

    private record Lease(int index, long since) {}

    AnnotateHandler(AnnotationBatch batch, DecisionLog log, WordCutter words, Function<String, List<Span>> preAnnotator, byte[] page) {
        this.batch = batch;
        this.log = log;
        this.words = words;
        this.preAnnotator = preAnnotator;
        this.page = page;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            switch (path) {
                case "/" -> {
                    if (!method.equals("GET") && !method.equals("HEAD")) throw notAllowed(response, "GET");
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                    response.write(true, ByteBuffer.wrap(page), callback);
                }
                case "/api/task" -> {
                    if (!method.equals("GET")) throw notAllowed(response, "GET");
                    Fields query = Request.extractQueryParameters(request);
                    String tab = query.getValue("tab");
                    send(response, callback, 200, JsonOutput.LINE.toJson(next(tab == null ? "" : tab)));
                }
                case "/api/decide", "/api/undo" -> {
                    if (!method.equals("POST")) throw notAllowed(response, "POST");
                    TagHandler.requireJson(request);
                    if (request.getLength() > MAX_BODY_BYTES) {
                        throw HttpError.tooLarge("the request body of " + request.getLength() + " bytes is over the limit of " + MAX_BODY_BYTES);
                    }
                    BodyReader.read(request, MAX_BODY_BYTES).whenComplete((body, failure) -> {
                        try {
                            if (failure != null) {
                                throw failure instanceof HttpError e ? e : HttpError.malformed("the request body could not be read");
                            }
                            JsonObject o = object(body);
                            String answer = path.equals("/api/decide") ? decide(o).toString() : undo(o).toString();
                            send(response, callback, 200, answer);
                        } catch (HttpError e) {
                            error(response, callback, e);
                        } catch (RuntimeException e) {
                            LOG.error("{} failed", path, e);
                            error(response, callback, new HttpError(500, "internal error: " + path + " failed; the server's log says why"));
                        }
                    });
                }
                default -> throw new HttpError(404, "no such path: " + path + " (GET / for the page, GET /api/task, POST /api/decide, "
                        + "POST /api/undo)");
            }
        } catch (HttpError e) {
            if (request.getLength() != 0) response.getHeaders().put(HttpHeader.CONNECTION, "close");
            error(response, callback, e);
        } catch (RuntimeException e) {
            LOG.error("{} failed", path, e);
            error(response, callback, new HttpError(500, "internal error: " + path + " failed; the server's log says why"));
        }
        return true;
    }

    /** The next text for {@code tab}: the first undecided one no other tab holds (else the first undecided), or done. */
    private JsonObject next(String tab) {
        log.startSession();
        int index;
        synchronized (leases) {
            leases.remove(tab);
            long now = System.nanoTime();
            leases.values().removeIf(l -> now - l.since() > LEASE_NANOS || log.decided(l.index()));
            java.util.Set<Integer> held = new java.util.HashSet<>();
            for (Lease l : leases.values()) held.add(l.index());
            index = log.firstUndecided(0, i -> !held.contains(i));
            if (index < 0) index = log.firstUndecided(0, i -> true);
            if (index >= 0) leases.put(tab, new Lease(index, now));
        }
        if (index < 0) {
            JsonObject o = new JsonObject();
            o.addProperty("done", true);
            o.add("progress", progress());
            return o;
        }
        return task(index, entities(index));
    }

    private JsonObject task(int index, List<Span> spans) {
        AnnotationBatch.Item item = batch.items().get(index);
        JsonObject o = new JsonObject();
        o.addProperty("index", index);
        o.addProperty("line", item.line());
        o.addProperty("text", item.text());
        JsonArray cut = new JsonArray();
        for (WordCutter.Word w : words.cut(item.text())) {
            JsonArray word = new JsonArray();
            word.add(w.charStart());
            word.add(w.charEnd());
            cut.add(word);
        }
        o.add("words", cut);
        o.add("spans", json(spans));
        JsonArray types = new JsonArray();
        batch.types().forEach(types::add);
        o.add("types", types);
        o.addProperty("file", batch.file().getFileName().toString());
        o.add("progress", progress());
        return o;
    }

    /** The entities text {@code index} starts with: the batch's, else the model's (tagged once, then kept). */
    private List<Span> entities(int index) {
        AnnotationBatch.Item item = batch.items().get(index);
        if (item.entities() != null) return item.entities();
        if (preAnnotator == null) return List.of();
        return preAnnotated.computeIfAbsent(index, i -> {
            List<WordCutter.Word> cut = words.cut(item.text());
            List<Span> kept = new ArrayList<>();
            for (Span s : preAnnotator.apply(item.text())) {
                // the model's entities of a type the page does not offer, or that cut a word, are not offered either
                List<Span> with = new ArrayList<>(kept);
                with.add(s);
                if (AnnotationBatch.problem(item.text(), cut, with, batch.types(), "entities") == null) kept.add(s);
                else LOG.info("{}:{}: the model's entity {} is left out: {}", batch.file(), item.line(), s,
                        AnnotationBatch.problem(item.text(), cut, with, batch.types(), "entities"));
            }
            return List.copyOf(kept);
        });
    }

    private JsonObject decide(JsonObject o) {
        String tab = string(o, "tab", true);
        int index = index(o);
        Answer answer = Answer.parse(string(o, "answer", false));
        if (answer == null) {
            throw HttpError.invalid("field \"answer\": expected \"accept\", \"reject\" or \"ignore\", found " + o.get("answer"));
        }
        List<Span> spans = spans(o);
        String text = batch.items().get(index).text();
        String problem = AnnotationBatch.problem(text, words.cut(text), spans, batch.types(), "spans");
        if (problem != null) throw HttpError.invalid(problem);
        try {
            log.decide(new Decision(index, answer, spans));
        } catch (DecisionLog.Conflict e) {
            throw new HttpError(409, e.getMessage());
        }
        synchronized (leases) {
            if (tab != null) leases.remove(tab);
        }
        JsonObject r = new JsonObject();
        r.addProperty("index", index);
        r.addProperty("answer", answer.wireName());
        r.add("progress", progress());
        return r;
    }

    private JsonObject undo(JsonObject o) {
        String tab = string(o, "tab", true);
        int index = index(o);
        Decision d;
        try {
            d = log.undo(index);
        } catch (DecisionLog.Conflict e) {
            throw new HttpError(409, e.getMessage());
        }
        synchronized (leases) {
            if (tab != null) leases.put(tab, new Lease(index, System.nanoTime()));
        }
        JsonObject r = task(index, d.spans());
        r.addProperty("answer", d.answer().wireName());
        return r;
    }

    private JsonObject progress() {
        DecisionLog.Progress p = log.progress();
        JsonObject o = new JsonObject();
        o.addProperty("done", p.done());
        o.addProperty("total", p.total());
        o.addProperty("accepted", p.accepted());
        o.addProperty("rejected", p.rejected());
        o.addProperty("ignored", p.ignored());
        o.addProperty("session", p.thisSession());
        o.addProperty("session_seconds", p.sessionTime().toSeconds());
        o.addProperty("per_hour", Math.round(p.perHour() * 10) / 10.0);
        return o;
    }

    private static JsonArray json(List<Span> spans) {
        JsonArray a = new JsonArray();
        for (Span s : spans) {
            JsonObject o = new JsonObject();
            o.addProperty("start", s.start());
            o.addProperty("end", s.end());
            o.addProperty("label", s.label());
            a.add(o);
        }
        return a;
    }

    private static JsonObject object(byte[] body) {
        JsonElement e;
        try {
            e = StrictJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (XnerInputException x) {
            throw HttpError.malformed("the body is not JSON: " + x.getMessage());
        }
        if (!e.isJsonObject()) throw HttpError.malformed("the body must be a JSON object, found " + StrictJson.kind(e));
        return e.getAsJsonObject();
    }

    private int index(JsonObject o) {
        JsonElement v = o.get("index");
        if (v instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && d >= 0 && d < batch.size()) return (int) d;
        }
        throw HttpError.invalid("field \"index\": expected a text's index, 0 to " + (batch.size() - 1) + ", found " + v);
    }

    private static String string(JsonObject o, String field, boolean optional) {
        JsonElement v = o.get(field);
        if (v == null && optional) return null;
        if (v instanceof JsonPrimitive p && p.isString()) return p.getAsString();
        throw HttpError.invalid("field \"" + field + "\": expected a string, found " + (v == null ? "none" : StrictJson.kind(v)));
    }

    private static List<Span> spans(JsonObject o) {
        JsonElement v = o.get("spans");
        if (v == null) return List.of();
        if (!v.isJsonArray()) throw HttpError.invalid("field \"spans\": expected an array, found " + StrictJson.kind(v));
        List<Span> spans = new ArrayList<>();
        JsonArray a = v.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            String at = "spans[" + i + "]";
            if (!a.get(i).isJsonObject()) throw HttpError.invalid("field \"" + at + "\": expected an object, found " + StrictJson.kind(a.get(i)));
            JsonObject s = a.get(i).getAsJsonObject();
            int start = offset(s, at, "start");
            int end = offset(s, at, "end");
            if (end <= start) throw HttpError.invalid("field \"" + at + "\": empty or reversed (start " + start + ", end " + end + ")");
            if (!(s.get("label") instanceof JsonPrimitive l) || !l.isString() || l.getAsString().isBlank()) {
                throw HttpError.invalid("field \"" + at + ".label\": expected an entity type, found " + s.get("label"));
            }
            spans.add(new Span(start, end, l.getAsString()));
        }
        return spans;
    }

    private static int offset(JsonObject s, String at, String name) {
        JsonElement v = s.get(name);
        if (v instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && d >= 0 && d <= Integer.MAX_VALUE) return (int) d;
        }
        throw HttpError.invalid("field \"" + at + "." + name + "\": expected a character offset, found " + v);
    }

    private static HttpError notAllowed(Response response, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return new HttpError(405, "method not allowed here; use " + allow);
    }

    private static void error(Response response, Callback callback, HttpError e) {
        send(response, callback, e.status(), new String(JsonErrorHandler.body(e.getMessage()), StandardCharsets.UTF_8));
    }

    private static void send(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TagHandler.JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
