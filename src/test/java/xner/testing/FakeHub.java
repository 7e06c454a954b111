package xner.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Hugging Face hub (or its CDN) on 127.0.0.1 and an ephemeral port, answering as the hub's
 * {@code /{repo}/resolve/{revision}/{file}} endpoint does: a small file with 200, {@code X-Repo-Commit} and its git
 * blob hash as {@code ETag}; an LFS file with a 302 to the CDN carrying {@code X-Linked-Etag} (its SHA-256) and
 * {@code X-Linked-Size}; a missing file with 404 and {@code X-Error-Code: EntryNotFound}. It records every request's
 * method, path and {@code Authorization} header.
 */
public final class FakeHub implements AutoCloseable {
    /** The commit every answer names unless told otherwise. */
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One canned answer; {@code cutAfter} ≥ 0 sends that many bytes of a body declared whole, then hangs up. */
    record Answer(int status, byte[] body, Map<String, String> headers, int cutAfter) {}

    /** A request as the server saw it; authorization is null when the header was absent. */
    public record Request(String method, String path, String authorization) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeHub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The server's origin, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Serves {@code body} at {@code path} (the raw URL path, as a client sends it) as the hub serves a file kept in git:
     * {@code headers}, plus {@code X-Repo-Commit: COMMIT} and its git blob hash as {@code ETag} where not given.
     */
    public FakeHub serve(String path, byte[] body, Map<String, String> headers) {
        answers.put(path, new Answer(200, body, withHubHeaders(headers, body), -1));
        return this;
    }

    public FakeHub serve(String path, byte[] body) {
        return serve(path, body, Map.of());
    }

    /** Serves {@code body} at {@code path} with exactly {@code headers} (a CDN, or a hub that leaves a header out). */
    public FakeHub serveRaw(String path, byte[] body, Map<String, String> headers) {
        answers.put(path, new Answer(200, body, headers, -1));
        return this;
    }

    /**
     * Serves {@code path} as the hub serves an LFS file: a 302 to {@code cdn}, with {@code X-Repo-Commit: commit},
     * {@code X-Linked-Etag} (the SHA-256) and {@code X-Linked-Size}; the CDN answers the body.
     */
    public FakeHub lfs(String path, byte[] body, FakeHub cdn, String commit) {
        String sha256 = sha256(body);
        cdn.serveRaw("/blobs/" + sha256, body, Map.of());
        redirect(path, cdn.endpoint() + "/blobs/" + sha256, Map.of("X-Repo-Commit", commit,
                "X-Linked-Etag", "\"" + sha256 + "\"", "X-Linked-Size", String.valueOf(body.length)));
        return this;
    }

    /** Declares all of {@code body} (Content-Length) but sends {@code after} bytes, then closes the connection. */
    public FakeHub cut(String path, byte[] body, int after) {
        answers.put(path, new Answer(200, body, Map.of(), after));
        return this;
    }

    /** Answers {@code path} with a 302 to {@code location}, plus {@code headers} (and the commit, where not given). */
    public FakeHub redirect(String path, String location, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("X-Repo-Commit", COMMIT);
        all.put("Location", location);
        answers.put(path, new Answer(302, new byte[0], all, -1));
        return this;
    }

    public FakeHub answer(String path, int status) {
        return answer(path, status, Map.of());
    }

    public FakeHub answer(String path, int status, Map<String, String> headers) {
        answers.put(path, new Answer(status, new byte[0], headers, -1));
        return this;
    }

    /** The hub URL path of a file of dataset {@code google/xtreme} at {@code main}. */
    public static String resolvePath(String file) {
        return "/datasets/google/xtreme/resolve/main/" + file;
    }

    /** The hub URL path of a file of model repository {@code repo} at {@code revision}. */
    public static String modelPath(String repo, String revision, String file) {
        return "/" + repo + "/resolve/" + revision + "/" + file;
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The paths requested, in order. */
    public List<String> paths() {
        return requests.stream().map(Request::path).toList();
    }

    public static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    /** The git blob hash, the hub's ETag of a file kept in git: SHA-1 of {@code "blob <size>\0"} and the bytes. */
    public static String gitBlobHash(byte[] bytes) {
        byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + bytes.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(bytes, 0, all, header.length, bytes.length);
        return hex("SHA-1", all);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> withHubHeaders(Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putIfAbsent("X-Repo-Commit", COMMIT);
        all.putIfAbsent("ETag", "\"" + gitBlobHash(body) + "\"");
        return all;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders().getFirst("Authorization")));
        Answer answer = answers.getOrDefault(path, new Answer(404, "Entry not found".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Error-Code", "EntryNotFound", "X-Repo-Commit", COMMIT), -1));
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (answer.cutAfter() >= 0) {
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            OutputStream out = exchange.getResponseBody();
            out.write(answer.body(), 0, answer.cutAfter());
            out.flush();
            exchange.close(); // short of the declared length: the server drops the connection
            return;
        }
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
