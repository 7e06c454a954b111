package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.data.Offsets;
import xner.infer.Prediction;
import xner.infer.Tagged;
import xner.io.JsonOutput;
import xner.io.Sha256;

/**
 * The service's routes: {@code POST /} and {@code POST /predict} (the Inference API's token classification),
 * {@code GET /health}, {@code GET /} (the page). Every answer but the page is JSON; every refusal is
 * {@code {"error": "..."}} with its status. With an API key, every route but the page needs it.
 */
final class TagHandler extends Handler.Abstract {
    static final String JSON = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(TagHandler.class);

    private final Batcher batcher;
    private final Settings settings;
    private final String model;
    private final JsonObject source; // where the model came from: a folder, or a hub id, revision and commit
    private final String runtime; // what runs the model: "libtorch", "onnx model.onnx", ...
    private final LabelSet labels;
    private final byte[] page;
    private final byte[] apiKeyDigest; // null: no key

    TagHandler(Batcher batcher, Settings settings, String model, JsonObject source, String runtime, LabelSet labels, byte[] page) {
        this.apiKeyDigest = settings.apiKey() == null ? null : Sha256.of(settings.apiKey());
        this.batcher = batcher;
        this.settings = settings;
        this.model = model;
        this.source = source;
        this.runtime = runtime;
        this.labels = labels;
        this.page = page;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            // the page is static and holds nothing: it stays open so that a browser can load it and then ask for the key
            boolean pageRequest = path.equals("/") && (method.equals("GET") || method.equals("HEAD"));
            if (!pageRequest) authorize(request, response);
            switch (path) {
                case "/health" -> {
                    if (!method.equals("GET") && !method.equals("HEAD")) throw notAllowed(response, "GET");
                    boolean overloaded = batcher.overloaded();
                    send(response, callback, overloaded ? 503 : 200, JsonOutput.LINE.toJson(health(overloaded)));
                }
                case "/", "/predict" -> {
                    if (method.equals("POST")) {
                        predict(request, response, callback);
                    } else if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
                        response.setStatus(200);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
                        response.write(true, ByteBuffer.wrap(page), callback);
                    } else {
                        throw notAllowed(response, path.equals("/") ? "GET, POST" : "POST");
                    }
                }
                default -> throw new HttpError(404, "no such path: " + path + " (POST / or /predict, GET /health, GET / for the page)");
            }
        } catch (HttpError e) {
            // refused before its body was read (401, 404, 405, 413, 415): the connection closes after the answer, so
            // a client that would reuse it does not send its next request behind an unread body (seen as a reset)
            if (request.getLength() != 0) response.getHeaders().put(HttpHeader.CONNECTION, "close");
            error(response, callback, e);
        }
        return true;
    }

    private static HttpError notAllowed(Response response, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return new HttpError(405, "method not allowed here; use " + allow);
    }

    /**
     * The model and its source, its labels and the queue; {@code "status": "overloaded"} (with 503, for a load balancer) while requests
     * wait longer than the request timeout.
     */
    private JsonObject health(boolean overloaded) {
        JsonObject o = new JsonObject();
        o.addProperty("status", overloaded ? "overloaded" : "ok");
        o.addProperty("model", model);
        o.add("source", source.deepCopy());
        o.addProperty("runtime", runtime);
        JsonArray names = new JsonArray();
        labels.names().forEach(names::add);
        o.add("labels", names);
        Batcher.Queue queue = batcher.queue();
        o.addProperty("waiting", queue.texts());
        o.addProperty("waiting_tokens", queue.tokens());
        o.addProperty("oldest_wait_ms", queue.oldest().toMillis());
        o.addProperty("request_timeout_s", settings.requestTimeout().toSeconds());
        o.addProperty("default_aggregation_strategy", settings.aggregation().wireName());
        o.addProperty("default_offsets", settings.offsets().wireName());
        return o;
    }

    /** Refuses (401) a request without the bearer token {@link Settings#apiKey()}, when there is one. */
    private void authorize(Request request, Response response) {
        if (apiKeyDigest == null) return;
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"xner\"");
            throw new HttpError(401, "this service needs an API key: send the header \"Authorization: Bearer KEY\"");
        }
        // equal-length digests compared in constant time: neither the key's bytes nor its length leak through timing
        if (!MessageDigest.isEqual(apiKeyDigest, Sha256.of(header.substring(7).strip()))) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"xner\", error=\"invalid_token\"");
            throw new HttpError(401, "the API key in the Authorization header is not this service's");
        }
    }

    /**
     * Refuses (415) a body that does not say it is JSON. Why: a web page on another site may POST a
     * {@code text/plain} body to a local service without the browser asking first (a CORS "simple request");
     * for {@code application/json} the browser asks (a preflight {@code OPTIONS}, which this service does not allow).
     */
    static void requireJson(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) throw new HttpError(415, "the request has no Content-Type: send \"Content-Type: application/json\"");
        String[] parts = type.split(";");
        if (!parts[0].strip().equalsIgnoreCase(JSON)) {
            throw new HttpError(415, "Content-Type \"" + type.strip() + "\": the body must be application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (!parameter[0].strip().equalsIgnoreCase("charset") || parameter.length < 2) continue;
            String charset = parameter[1].strip().replace("\"", "");
            if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                throw new HttpError(415, "Content-Type \"" + type.strip() + "\": the body must be UTF-8");
            }
        }
    }

    /** 503 with {@code Retry-After}: the queue is full or the service stops; the client may come back in a second. */
    private static HttpError busy(Response response, Batcher.Busy e) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        return HttpError.busy(e.getMessage());
    }

    private void predict(Request request, Response response, Callback callback) {
        requireJson(request);
        try {
            batcher.requireRoom(); // before reading and parsing the body: clients that retry at once must not cost the model its CPU
        } catch (Batcher.Busy e) {
            throw busy(response, e);
        }
        long declared = request.getLength();
        if (declared > settings.maxBodyBytes()) {
            throw HttpError.tooLarge("the request body of " + declared + " bytes is over the limit of " + settings.maxBodyBytes());
        }
        BodyReader.read(request, settings.maxBodyBytes()).whenComplete((body, failure) -> {
            try {
                if (failure != null) {
                    throw failure instanceof HttpError e ? e : HttpError.malformed("the request body could not be read");
                }
                PredictRequest p = PredictRequest.parse(body, settings);
                CompletableFuture<List<Tagged>> tagged;
                try {
                    tagged = batcher.submit(p.inputs());
                } catch (Batcher.Busy e) {
                    throw busy(response, e);
                } catch (Batcher.OverBudget e) {
                    throw HttpError.tooLarge(e.getMessage());
                }
                // a client that goes away, when Jetty learns of it, drops its request (HTTP/1.1 says nothing of a client
                // that closes while its request waits: Jetty does not read then, and the request timeout bounds those).
                // The request timeout, not Jetty's idle timeout, decides how long a request may wait for the model
                request.addFailureListener(why -> tagged.cancel(false));
                request.addIdleTimeoutListener(timeout -> tagged.isDone());
                tagged.whenComplete((results, error) -> {
                    if (error != null) {
                        fail(response, callback, p, error);
                    } else {
                        send(response, callback, 200, answer(p, results));
                    }
                });
            } catch (HttpError e) {
                error(response, callback, e);
            } catch (RuntimeException e) {
                fail(response, callback, null, e);
            }
        });
    }

    /** The Inference API's answer: a list of predictions for one text, a list of such lists for a list of texts. */
    private static String answer(PredictRequest p, List<Tagged> results) {
        JsonArray all = new JsonArray();
        for (Tagged t : results) {
            JsonArray one = new JsonArray();
            for (Prediction prediction : t.predict(p.aggregation(), p.ignoreLabels(), p.minScore())) {
                JsonObject o = prediction.toJson();
                if (p.offsets() != Offsets.UTF_16) { // the same keys in the same places, counted otherwise
                    o.addProperty("start", p.offsets().of(t.text(), prediction.start()));
                    o.addProperty("end", p.offsets().of(t.text(), prediction.end()));
                }
                one.add(o);
            }
            all.add(one);
        }
        return JsonOutput.LINE.toJson(p.batch() ? all : all.get(0));
    }

    /** Answers a failure of {@code p} (null when it failed before it was parsed). */
    private void fail(Response response, Callback callback, PredictRequest p, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) { // the client went away: nobody to answer
            callback.failed(cause);
            return;
        }
        if (cause instanceof Batcher.TimedOut timedOut) {
            error(response, callback, new HttpError(504, timedOut.getMessage()));
            return;
        }
        if (cause instanceof Batcher.Busy busy) {
            error(response, callback, busy(response, busy)); // as for a request refused at the door
            return;
        }
        if (cause instanceof Batcher.TextFailed failed && p != null) {
            String field = p.batch() ? "inputs[" + failed.index() + "]" : "inputs";
            Throwable why = failed.getCause();
            // the pipeline refuses a text it cannot take (XnerInputException, IllegalArgumentException): the
            // client's to fix, and its message names what is wrong; anything else is ours, and the client learns
            // only which text it was
            if (why instanceof XnerInputException || why instanceof IllegalArgumentException) {
                error(response, callback, HttpError.invalid("field \"" + field + "\": the model cannot tag this text: "
                        + (why.getMessage() == null ? "it is not valid input" : why.getMessage())));
                return;
            }
            LOG.error("tagging {} failed", field, why); // the trace stays in the server's log; the client gets one line
            error(response, callback, new HttpError(500, "internal error: the model could not tag this request (field \"" + field + "\")"));
            return;
        }
        LOG.error("tagging failed", cause);
        error(response, callback, new HttpError(500, "internal error: the model could not tag this request"));
    }

    private static void error(Response response, Callback callback, HttpError e) {
        send(response, callback, e.status(), new String(JsonErrorHandler.body(e.getMessage()), StandardCharsets.UTF_8));
    }

    private static void send(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
