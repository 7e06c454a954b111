package xner.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.io.JsonOutput;

/**
 * {@code xner bench serve}: a soak of a running {@code xner serve}, bounded in requests and in time: texts
 * from a file sent round-robin by N clients at once, one bad request in every {@code --bad-every} (malformed
 * JSON, a number for {@code inputs}, a lone surrogate, a text over the service's limit, in turn). It reports
 * throughput, latency percentiles, the count of each status and, given the service's pid, its RSS before and
 * after. A soak finds what a unit test does not: memory that grows, a bad request that fails its neighbours.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Soak a running xner serve: --requests requests (at most --duration seconds) at each --concurrency, "
                + "texts from --texts, one bad request in every --bad-every; throughput, p50/p95/p99, statuses, RSS.")
public final class BenchServeCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/", description = "The service (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--texts", required = true, paramLabel = "FILE", description = "One text a line (UTF-8), sent in turn.")
    Path texts;

    @Option(names = "--requests", defaultValue = "10000", description = "Requests per concurrency level (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--duration", defaultValue = "600", paramLabel = "SECONDS",
            description = "Stop a level after this long even if requests remain (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--concurrency", split = ",", defaultValue = "8,64", description = "Clients at once, each level in turn (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--bad-every", defaultValue = "50", description = "One bad request in every N; 0 for none (default: ${DEFAULT-VALUE}).")
    int badEvery;

    @Option(names = "--max-text-chars", defaultValue = "20000",
            description = "The service's --max-text-chars, to send a text just over it (default: ${DEFAULT-VALUE}).")
    int maxChars;

    @Option(names = "--big-clients", defaultValue = "0", paramLabel = "N",
            description = "Clients that send large requests back to back while each level runs, to see what they cost the "
                    + "others (default: none).")
    int bigClients;

    @Option(names = "--big-texts", defaultValue = "52", paramLabel = "N",
            description = "Texts in a large request (default: ${DEFAULT-VALUE}).")
    int bigTexts;

    @Option(names = "--big-chars", defaultValue = "20000", paramLabel = "N",
            description = "Characters in each text of a large request, lines of --texts joined (default: ${DEFAULT-VALUE}).")
    int bigChars;

    @Option(names = "--soak", paramLabel = "MINUTES",
            description = "Instead of the levels: mixed clients for this long (short, 20,000-character, bad, hanging up, "
                    + "slow-header), sampling the service's memory and threads every 10 s; with --pid, SIGTERM at the end.")
    Double soakMinutes;

    @Option(names = "--pid", description = "The service's process id, to read its resident memory (/proc/PID/status).")
    Long pid;

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    /** The four kinds of bad request, in turn. */
    private static final List<String> BAD_KINDS = List.of("malformed JSON", "inputs is a number", "lone surrogate", "over --max-text-chars");

    @Override
    public Integer call() throws Exception {
        List<String> lines = Files.readAllLines(texts).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new XnerInputException(texts + ": no text lines");
        PrintWriter out = spec.commandLine().getOut();
        if (soakMinutes != null) {
            if (!(soakMinutes > 0)) throw new XnerInputException("--soak: " + soakMinutes + " is not a number of minutes");
            out.println(JsonOutput.PRETTY.toJson(new ServeSoak(url, lines, pid).run(soakMinutes)));
            out.flush();
            return Xner.EXIT_OK;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        JsonArray levels = new JsonArray();
        for (int clients : concurrency) {
            if (clients < 1) throw new XnerInputException("--concurrency: " + clients + " is not a number of clients");
            JsonObject level = soak(client, lines, clients);
            levels.add(level);
            if (!json) out.println(describe(level));
            out.flush();
        }
        if (json) out.println(JsonOutput.PRETTY.toJson(levels));
        return Xner.EXIT_OK;
    }

    private JsonObject soak(HttpClient client, List<String> lines, int clients) throws Exception {
        long rssBefore = rssKb();
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + duration * 1_000_000_000L;
        long[] latencies = new long[requests];
        Arrays.fill(latencies, -1);
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicLong> badStatuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients + bigClients);
        java.util.concurrent.atomic.AtomicBoolean levelDone = new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> bigLatencies = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, AtomicLong> bigStatuses = new ConcurrentHashMap<>();
        List<Future<?>> big = new ArrayList<>();
        String bigBody = bigClients == 0 ? null : bigBody(lines);
        for (int c = 0; c < bigClients; c++) {
            big.add(pool.submit(() -> {
                while (!levelDone.get() && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    String status = send(client, bigBody);
                    if (status == null) return;
                    bigLatencies.add(System.nanoTime() - t0);
                    bigStatuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
            }));
        }
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests && System.nanoTime() < deadline; i = next.getAndIncrement()) {
                    boolean bad = badEvery > 0 && i % badEvery == badEvery - 1;
                    String body = bad ? badBody(i / badEvery) : body(lines.get(i % lines.size()));
                    long t0 = System.nanoTime();
                    String status = send(client, body);
                    if (status == null) return;
                    latencies[i] = System.nanoTime() - t0;
                    (bad ? badStatuses : statuses).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
            }));
        }
        for (Future<?> w : workers) w.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        levelDone.set(true);
        for (Future<?> b : big) b.get();
        pool.shutdown();
        long[] done = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();

        JsonObject level = new JsonObject();
        level.addProperty("concurrency", clients);
        level.addProperty("requests", done.length);
        level.addProperty("seconds", round(seconds));
        level.addProperty("requests_per_second", round(done.length / seconds));
        for (double q : new double[] {0.50, 0.95, 0.99}) {
            level.addProperty("p" + Math.round(q * 100) + "_ms", done.length == 0 ? 0 : round(done[percentileIndex(done.length, q)] / 1e6));
        }
        level.add("statuses", counts(statuses));
        level.add("bad_request_statuses", counts(badStatuses));
        if (bigClients > 0) {
            long[] b = bigLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
            JsonObject o = new JsonObject();
            o.addProperty("clients", bigClients);
            o.addProperty("texts", bigTexts);
            o.addProperty("chars", bigChars);
            o.addProperty("requests", b.length);
            o.addProperty("p50_ms", b.length == 0 ? 0 : round(b[percentileIndex(b.length, 0.5)] / 1e6));
            o.addProperty("max_ms", b.length == 0 ? 0 : round(b[b.length - 1] / 1e6));
            o.add("statuses", counts(bigStatuses));
            level.add("large_requests", o);
        }
        if (pid != null) {
            level.addProperty("rss_before_mb", rssBefore / 1024);
            level.addProperty("rss_after_mb", rssKb() / 1024);
        }
        return level;
    }

    /** Sends one body; its status, "no answer (…)" when the connection failed, or null when interrupted. */
    private String send(HttpClient client, String body) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return String.valueOf(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A large request: {@code --big-texts} texts of {@code --big-chars} characters, lines of the texts joined by spaces. */
    private String bigBody(List<String> lines) {
        JsonArray inputs = new JsonArray();
        int line = 0;
        for (int t = 0; t < bigTexts; t++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < bigChars) text.append(lines.get(line++ % lines.size())).append(' ');
            inputs.add(text.substring(0, bigChars));
        }
        JsonObject o = new JsonObject();
        o.add("inputs", inputs);
        return JsonOutput.LINE.toJson(o);
    }

    /** The nearest-rank percentile. */
    static int percentileIndex(int n, double q) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1));
    }

    private static String body(String text) {
        JsonObject o = new JsonObject();
        o.add("inputs", new JsonPrimitive(text));
        return JsonOutput.LINE.toJson(o);
    }

    private String badBody(int k) {
        return switch (k % BAD_KINDS.size()) {
            case 0 -> "{\"inputs\": \"unterminated";
            case 1 -> "{\"inputs\": 5}";
            case 2 -> "{\"inputs\": \"ein \\ud800 Satz in Z\u00fcrich\"}";
            default -> body("x".repeat(maxChars + 1));
        };
    }

    private static JsonObject counts(Map<String, AtomicLong> counts) {
        JsonObject o = new JsonObject();
        new TreeMap<>(counts).forEach((status, n) -> o.addProperty(status, n.get()));
        return o;
    }

    private long rssKb() throws IOException {
        if (pid == null) return 0;
        for (String line : Files.readAllLines(Path.of("/proc", pid.toString(), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String describe(JsonObject l) {
        String rss = l.has("rss_before_mb") ? String.format("; RSS %d → %d MB", l.get("rss_before_mb").getAsLong(),
                l.get("rss_after_mb").getAsLong()) : "";
        String large = "";
        if (l.has("large_requests")) {
            JsonObject b = l.getAsJsonObject("large_requests");
            large = String.format("; beside %d client(s) of %d × %d characters: %d large requests, p50 %.0f ms, max %.0f ms, statuses %s",
                    b.get("clients").getAsInt(), b.get("texts").getAsInt(), b.get("chars").getAsInt(), b.get("requests").getAsInt(),
                    b.get("p50_ms").getAsDouble(), b.get("max_ms").getAsDouble(), b.get("statuses"));
        }
        return String.format("concurrency %3d: %d requests in %.1f s, %.2f/s; p50 %.0f ms, p95 %.0f ms, p99 %.0f ms; "
                        + "statuses %s, bad requests %s%s%s",
                l.get("concurrency").getAsInt(), l.get("requests").getAsInt(), l.get("seconds").getAsDouble(),
                l.get("requests_per_second").getAsDouble(), l.get("p50_ms").getAsDouble(), l.get("p95_ms").getAsDouble(),
                l.get("p99_ms").getAsDouble(), l.get("statuses"), l.get("bad_request_statuses"), rss, large);
    }
}
