package xner.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Hugging Face hub (or its CDN) on 127.0.0.1 and an ephemeral port: it answers the paths it was
 * given and 404 otherwise, and records every request's path and {@code Authorization} header.
 */
final class FakeHub implements AutoCloseable {
    /** One canned answer. */
    record Answer(int status, byte[] body, Map<String, String> headers) {}

    /** A request as the server saw it; authorization is null when the header was absent. */
    record Request(String path, String authorization) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeHub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The server's origin, e.g. {@code http://127.0.0.1:41234}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code body} at {@code path} (the raw URL path, as a client sends it). */
    FakeHub serve(String path, byte[] body, Map<String, String> headers) {
        answers.put(path, new Answer(200, body, headers));
        return this;
    }

    FakeHub serve(String path, byte[] body) {
        return serve(path, body, Map.of());
    }

    /** Answers {@code path} with a 302 to {@code location}, plus {@code headers}. */
    FakeHub redirect(String path, String location, Map<String, String> headers) {
        Map<String, String> all = new ConcurrentHashMap<>(headers);
        all.put("Location", location);
        answers.put(path, new Answer(302, new byte[0], all));
        return this;
    }

    FakeHub answer(String path, int status) {
        answers.put(path, new Answer(status, new byte[0], Map.of()));
        return this;
    }

    /** The hub URL path of a file of {@code google/xtreme} at {@code main}. */
    static String resolvePath(String file) {
        return "/datasets/google/xtreme/resolve/main/" + file;
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Authorization")));
        Answer answer = answers.getOrDefault(path, new Answer(404, "Entry not found".getBytes(), Map.of()));
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
