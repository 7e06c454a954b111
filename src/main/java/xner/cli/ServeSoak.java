package xner.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import xner.io.JsonOutput;

/**
 * {@code bench serve --soak MINUTES}: mixed clients against a running service for a while, then (with its pid) SIGTERM,
 * to find what a short benchmark does not: memory or threads that grow, a kind of client that costs the others their
 * answers, a stop that crashes. The clients, all at once for the whole time:
 * <ul>
 *   <li>{@value #SHORT_CLIENTS} short clients, one text of the file a request, back to back;</li>
 *   <li>a large client: one 20,000-character text a request (within the default token budget);</li>
 *   <li>a bad client: malformed JSON, a number for {@code inputs}, a lone surrogate, a text over the limit, in turn;</li>
 *   <li>a client that sends a large request and closes the connection 50 ms later, without reading the answer;</li>
 *   <li>a slow-header client: one header byte a second, again and again.</li>
 * </ul>
 * Every 10 s it samples the service's resident memory and thread count (/proc/PID/status); the report gives their
 * slopes after the warm-up (the first fifth of the time) by least squares.
 */
final class ServeSoak {
    static final int SHORT_CLIENTS = 8;
    private static final long SAMPLE_MILLIS = 10_000;

    private final URI url;
    private final List<String> texts;
    private final Long pid;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Map<String, Map<String, AtomicLong>> statuses = new ConcurrentHashMap<>(); // client kind → status → count

    ServeSoak(URI url, List<String> texts, Long pid) {
        this.url = url;
        this.texts = texts;
        this.pid = pid;
    }

    /** Soaks for {@code minutes}, then stops the service when its pid is known; the figures as JSON. */
    JsonObject run(double minutes) throws Exception {
        long millis = (long) (minutes * 60_000);
        ExecutorService pool = Executors.newFixedThreadPool(SHORT_CLIENTS + 4);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < SHORT_CLIENTS; c++) {
            int first = c;
            clients.add(pool.submit(() -> {
                for (int i = first; !done.get(); i += SHORT_CLIENTS) count("short", post(body(texts.get(i % texts.size()))));
            }));
        }
        String large = body(largeText());
        clients.add(pool.submit(() -> {
            while (!done.get()) count("large", post(large));
        }));
        clients.add(pool.submit(() -> {
            for (int i = 0; !done.get(); i++) count("bad", post(bad(i)));
        }));
        clients.add(pool.submit(() -> {
            while (!done.get()) count("disconnecting", sendAndHangUp(large));
        }));
        clients.add(pool.submit(() -> {
            while (!done.get()) count("slow header", slowHeader());
        }));

        List<double[]> samples = new ArrayList<>(); // seconds, RSS MB, threads
        long started = System.nanoTime();
        while (System.nanoTime() - started < millis * 1_000_000) {
            double[] s = sample((System.nanoTime() - started) / 1e9);
            if (s != null) samples.add(s);
            Thread.sleep(Math.min(SAMPLE_MILLIS, Math.max(1, millis - (System.nanoTime() - started) / 1_000_000)));
        }
        done.set(true);
        for (Future<?> f : clients) f.get(180, TimeUnit.SECONDS);
        pool.shutdown();

        JsonObject report = new JsonObject();
        report.addProperty("minutes", minutes);
        JsonObject counts = new JsonObject();
        new TreeMap<>(statuses).forEach((kind, byStatus) -> {
            JsonObject o = new JsonObject();
            new TreeMap<>(byStatus).forEach((status, n) -> o.addProperty(status, n.get()));
            counts.add(kind, o);
        });
        report.add("statuses", counts);
        JsonArray series = new JsonArray();
        for (double[] s : samples) {
            JsonArray row = new JsonArray();
            for (double v : s) row.add(new JsonPrimitive(Math.round(v * 10) / 10.0));
            series.add(row);
        }
        report.add("samples_seconds_rss_mb_threads", series);
        List<double[]> warm = samples.subList(Math.min(samples.size(), samples.size() / 5), samples.size());
        report.addProperty("rss_mb_per_minute_after_warmup", round(60 * slope(warm, 1)));
        report.addProperty("threads_per_minute_after_warmup", round(60 * slope(warm, 2)));
        if (pid != null) report.add("stop", stop());
        return report;
    }

    /** SIGTERM to the service: whether it was gone within a minute, and any crash report it left in its folder. */
    private JsonObject stop() throws InterruptedException {
        JsonObject o = new JsonObject();
        ProcessHandle service = ProcessHandle.of(pid).orElse(null);
        if (service == null) {
            o.addProperty("exited", "already gone before the stop");
            return o;
        }
        Path cwd = null;
        try {
            cwd = Path.of("/proc", pid.toString(), "cwd").toRealPath();
        } catch (IOException e) {
            // not Linux, or not ours: the crash-report check is skipped
        }
        long t0 = System.nanoTime();
        service.destroy();
        boolean gone = false;
        while (!gone && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
            gone = !service.isAlive();
            if (!gone) Thread.sleep(100);
        }
        o.addProperty("exited_within_s", gone ? round((System.nanoTime() - t0) / 1e9) : -1);
        if (cwd != null) {
            try (var files = Files.list(cwd)) {
                o.addProperty("hs_err_files", files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid" + pid)).count());
            } catch (IOException e) {
                o.addProperty("hs_err_files", "unreadable: " + e.getMessage());
            }
        }
        return o;
    }

    private void count(String kind, String status) {
        statuses.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    private String post(String body) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return String.valueOf(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.set(true);
            return "interrupted";
        }
    }

    /** A request whose client goes away 50 ms after sending it: "sent" when the server took it. */
    private String sendAndHangUp(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            Thread.sleep(50);
            return "sent, then hung up";
        } catch (IOException e) {
            return "refused (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** One header byte a second until the server answers or closes: its status, or how the connection ended. */
    private String slowHeader() {
        byte[] header = ("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nX-Slow: "
                + "a".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (byte b : header) {
                if (done.get()) return "stopped by the soak";
                out.write(b);
                out.flush();
                try {
                    int first = in.read();
                    if (first < 0) return "closed by the server";
                    byte[] line = new byte[11];
                    int n = in.readNBytes(line, 0, line.length);
                    String status = new String(line, 0, n, StandardCharsets.US_ASCII);
                    return "answered " + (status.length() >= 11 ? status.substring(8, 11) : status);
                } catch (java.net.SocketTimeoutException e) {
                    // still waiting: the next byte
                }
            }
            return "header sent whole";
        } catch (IOException e) {
            return "closed by the server (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String bad(int i) {
        return switch (i % 4) {
            case 0 -> "{\"inputs\": \"unterminated";
            case 1 -> "{\"inputs\": 5}";
            case 2 -> "{\"inputs\": \"ein \\ud800 Satz in Z\u00fcrich\"}";
            default -> body("x".repeat(20_001));
        };
    }

    private String largeText() {
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < 20_000; line++) text.append(texts.get(line % texts.size())).append(' ');
        return text.substring(0, 20_000);
    }

    private static String body(String text) {
        JsonObject o = new JsonObject();
        o.addProperty("inputs", text);
        return JsonOutput.LINE.toJson(o);
    }

    /** [seconds, RSS MB, threads] of the service now, or null without its pid. */
    private double[] sample(double seconds) {
        if (pid == null) return null;
        double rss = 0;
        double threads = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid.toString(), "status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                if (line.startsWith("Threads:")) threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException e) {
            return null; // gone
        }
        return new double[] {seconds, rss, threads};
    }

    /** The least-squares slope of column {@code y} against column 0, per second; 0 with fewer than two samples. */
    static double slope(List<double[]> samples, int y) {
        int n = samples.size();
        if (n < 2) return 0;
        double mx = samples.stream().mapToDouble(s -> s[0]).average().orElse(0);
        double my = samples.stream().mapToDouble(s -> s[y]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] s : samples) {
            num += (s[0] - mx) * (s[y] - my);
            den += (s[0] - mx) * (s[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
