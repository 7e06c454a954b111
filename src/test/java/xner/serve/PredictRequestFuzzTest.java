package xner.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import xner.data.Offsets;
import xner.infer.Aggregation;
import xner.testing.Fuzzing;

/**
 * The HTTP request body from outside (issue 26 §4): any bytes, in chunks as a slow client sends them, through
 * {@link BodyReader} (all of it, or 413 past the limit) and {@link PredictRequest#parse}. A body is a request within
 * the limits, or an {@link HttpError} 400 (not a UTF-8 JSON object: saying where, byte or column), 413 or 422 (naming
 * the field); nothing else, so the service answers JSON and never a 500.
 */
class PredictRequestFuzzTest {
    /** Small limits, so that short inputs reach them: 2,048 bytes a body, 4 texts of 64 characters a request. */
    private static final Settings SMALL = new Settings("127.0.0.1", 0, 2048, 64, 4, 16, 4, 8192, Duration.ofSeconds(60),
            Aggregation.SIMPLE, Offsets.UTF_16, 0, Duration.ofSeconds(5), null);

    @FuzzTest(maxDuration = "5m")
    void answersOrRefusesNamingTheField(byte[] body) {
        byte[] read;
        try {
            read = readInChunks(body).join();
        } catch (CompletionException e) {
            HttpError refused = (HttpError) e.getCause(); // anything else than a refusal fails here, as a finding
            if (refused.status() != 413 || body.length <= SMALL.maxBodyBytes()) throw new AssertionError("body of " + body.length
                    + " bytes refused with " + refused.status() + " " + refused.getMessage(), refused);
            return;
        }
        if (!Arrays.equals(read, body)) throw new AssertionError("the body read differs from the body sent");
        PredictRequest request;
        try {
            request = PredictRequest.parse(read, SMALL);
        } catch (HttpError e) {
            assertSaysWhere(e);
            return;
        }
        if (request.inputs().isEmpty() || request.inputs().size() > SMALL.maxInputs()
                || request.inputs().stream().anyMatch(t -> t.length() > SMALL.maxTextChars())) {
            throw new AssertionError("a request outside the limits was accepted: " + request);
        }
    }

    /**
     * A refusal a client can act on: 400 says where the body stops being a UTF-8 JSON object (a byte offset, a column,
     * or that it is empty or not an object), 413 and 422 name the field; one line each.
     */
    private static void assertSaysWhere(HttpError e) {
        String m = e.getMessage();
        Fuzzing.assertSaysWhere(m, "", e);
        boolean located = switch (e.status()) {
            case 400 -> m.startsWith("the request body is not UTF-8") && m.contains(" at byte ")
                    || m.startsWith("the request body is not JSON: ") && (m.contains("column") || m.endsWith("empty")
                            || m.endsWith("only whitespace"))
                    || m.startsWith("expected a JSON object");
            case 413, 422 -> m.contains("field \"") || m.contains("parameter \"") || m.startsWith("parameters.");
            default -> false;
        };
        if (!located) throw new AssertionError("refused with " + e.status() + " without saying where: " + m, e);
    }

    /**
     * {@link BodyReader} over a request whose body arrives in chunks of 1 to 7 bytes (as many as the body's length
     * modulo 7, plus one), each after a read that finds nothing yet, so that the reader waits on demand between them.
     */
    private static CompletableFuture<byte[]> readInChunks(byte[] body) {
        int size = 1 + body.length % 7;
        int[] at = {0};
        boolean[] empty = {true};
        Runnable[] demand = {null};
        Request request = (Request) Proxy.newProxyInstance(Request.class.getClassLoader(), new Class<?>[] {Request.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "read" -> {
                        empty[0] = !empty[0];
                        if (!empty[0]) yield null; // nothing yet: the reader asks to be called back
                        int n = Math.min(size, body.length - at[0]);
                        Content.Chunk chunk = Content.Chunk.from(ByteBuffer.wrap(body, at[0], n).slice(), at[0] + n == body.length);
                        at[0] += n;
                        yield chunk;
                    }
                    case "demand" -> {
                        demand[0] = (Runnable) args[0];
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CompletableFuture<byte[]> result = BodyReader.read(request, SMALL.maxBodyBytes());
        while (demand[0] != null) { // the server's event loop: call the reader back when more has come
            Runnable next = demand[0];
            demand[0] = null;
            next.run();
        }
        return result;
    }
}
