package xner.data;

import xner.XnerInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A downloader of files from a dataset repository on the Hugging Face hub into a local cache, in the manner of
 * {@code huggingface_hub.hf_hub_download} with a simpler cache.
 *
 * <p>A file's URL is the one {@code hf_hub_url} builds: {@code {endpoint}/datasets/{repo}/resolve/{revision}/{path}},
 * revision and path segments percent-encoded (a revision such as {@code refs/convert/parquet} becomes one segment).
 * The hub answers files kept in LFS/Xet with a redirect to a CDN; redirects are followed here by hand so that the
 * token ({@code Authorization: Bearer}) goes only to the endpoint's own origin, as {@code requests} does for
 * {@code huggingface_hub}. When the hub declares an LFS file's SHA-256 and size ({@code X-Linked-Etag},
 * {@code X-Linked-Size}) on its first answer, the download is checked against them.
 *
 * <p>The cache is ours, not {@code huggingface_hub}'s ({@code $HF_HUB_CACHE}, default {@code ~/.cache/huggingface/hub},
 * with blobs, refs and snapshots): {@code {cache}/datasets/{repo}/{revision}/{path}}. A file is written to a temporary
 * file beside it and renamed into place only when complete and checked, so the cache never holds a partial file. A
 * cached file is used as it is: for a branch such as {@code main} it is the file as it was when first downloaded.
 *
 * <p>Environment, as {@code huggingface_hub} reads it ({@link #fromEnvironment}): {@code HF_ENDPOINT} (default
 * {@code https://huggingface.co}), {@code HF_TOKEN}; and ours: {@code XNER_CACHE} (default {@code ~/.cache/xner}).
 */
public final class HubDownloader {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 10;

    /** What a downloaded file must be: its size in bytes (-1: unknown) and SHA-256 in hex (null: unknown). */
    public record Expected(long size, String sha256) {
        public static final Expected NONE = new Expected(-1, null);

        public Expected {
            if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
    }

    private final URI endpoint;
    private final Path cacheDir;
    private final String token;
    private final HttpClient client;

    /**
     * @param endpoint the hub, e.g. {@link #DEFAULT_ENDPOINT}
     * @param cacheDir the cache root; files go under {@code datasets/} in it
     * @param token    a hub access token sent as {@code Authorization: Bearer}, or null for none
     */
    public HubDownloader(URI endpoint, Path cacheDir, String token) {
        String base = Objects.requireNonNull(endpoint, "endpoint").toString();
        this.endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER) // followed in get(), to keep the token on the hub
                .proxy(ProxySelector.getDefault()) // honours -Dhttps.proxyHost / -Dhttps.proxyPort
                .build();
    }

    /** A downloader configured from the process environment (see the class comment). */
    public static HubDownloader fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** A downloader configured from {@code env}: {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code XNER_CACHE}. */
    public static HubDownloader fromEnvironment(Map<String, String> env) {
        String endpoint = env.get("HF_ENDPOINT");
        String cache = env.get("XNER_CACHE");
        return new HubDownloader(
                endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : URI.create(endpoint.strip()),
                cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "xner") : Path.of(cache),
                env.get("HF_TOKEN"));
    }

    public URI endpoint() {
        return endpoint;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** The URL of {@code path} at {@code revision} of the dataset repository {@code repo} (e.g. {@code google/xtreme}). */
    public URI url(String repo, String revision, String path) {
        checkNames(repo, revision, path);
        return URI.create(endpoint + "/datasets/" + repo + "/resolve/" + encode(revision) + "/" + encodePath(path));
    }

    /** Where {@code path} at {@code revision} of {@code repo} is cached, whether or not it is there yet. */
    public Path cachePath(String repo, String revision, String path) {
        checkNames(repo, revision, path);
        Path dir = cacheDir.resolve("datasets");
        for (String part : repo.split("/")) dir = dir.resolve(part);
        dir = dir.resolve(encode(revision));
        for (String part : path.split("/")) dir = dir.resolve(part);
        return dir;
    }

    /** The cached copy of {@code path}, downloaded first when it is not cached; checked as the hub declares it. */
    public Path download(String repo, String revision, String path) {
        return download(repo, revision, path, Expected.NONE);
    }

    /**
     * The cached copy of {@code path}, downloaded first when it is not cached.
     *
     * @param expected what the file must be; where it says nothing, what the hub declares is checked
     * @throws XnerInputException naming the URL, when the hub cannot be reached, answers with an error, or the file
     *                            is not what was expected
     */
    public Path download(String repo, String revision, String path, Expected expected) {
        Path target = cachePath(repo, revision, path);
        if (Files.isRegularFile(target)) return target;
        URI url = url(repo, revision, path);
        Path part = null;
        try {
            Files.createDirectories(target.getParent());
            part = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            Fetch fetch = get(url);
            Expected check = new Expected(expected.size() >= 0 ? expected.size() : fetch.declared().size(),
                    expected.sha256() != null ? expected.sha256() : fetch.declared().sha256());
            MessageDigest sha256 = Sha256.digest();
            long size;
            try (InputStream in = fetch.response().body();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(part), sha256)) {
                size = in.transferTo(out);
            }
            verify(url, check, size, Sha256.hex(sha256));
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (HttpTimeoutException e) {
            throw new XnerInputException(url + ": the hub did not answer in time (" + e.getMessage() + ")", e);
        } catch (ConnectException e) {
            throw new XnerInputException(url + ": cannot connect to the hub (" + reason(e) + "); is this machine offline?", e);
        } catch (IOException e) {
            throw new XnerInputException(url + ": download failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XnerInputException(url + ": download interrupted", e);
        } finally {
            deleteQuietly(part); // gone already when it was moved into place
        }
    }

    /** A successful answer and what the hub declared about the file on its first answer. */
    private record Fetch(HttpResponse<InputStream> response, Expected declared) {}

    private Fetch get(URI url) throws IOException, InterruptedException {
        Expected declared = Expected.NONE;
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(RESPONSE_TIMEOUT).GET()
                    .header("User-Agent", "xner");
            if (token != null && sameOrigin(current, endpoint)) request.header("Authorization", "Bearer " + token);
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (hop == 0) declared = declared(response);
            int status = response.statusCode();
            if (status == 200) return new Fetch(response, declared);
            response.body().close();
            String location = response.headers().firstValue("Location").orElse(null);
            if (status >= 300 && status < 400 && location != null) {
                current = current.resolve(location);
                continue;
            }
            throw new XnerInputException(url + ": " + refusal(status, current.equals(url) ? "" : " (at " + current + ")"));
        }
        throw new XnerInputException(url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** Why a connection failed, in words: the JDK leaves the message of an unknown host empty. */
    private static String reason(ConnectException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "host not found";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static String refusal(int status, String where) {
        return switch (status) {
            case 401, 403 -> "HTTP " + status + where + ": the hub refused access; for a gated or private repository, "
                    + "set HF_TOKEN to an access token that may read it";
            case 404 -> "HTTP 404" + where + ": no such file, revision or repository on the hub";
            default -> "HTTP " + status + where + " from the hub";
        };
    }

    /** The LFS object's SHA-256 and size as the hub declares them, when it does (not for files kept in git). */
    private static Expected declared(HttpResponse<?> response) {
        String etag = response.headers().firstValue("X-Linked-Etag").orElse("").replace("\"", "").replace("W/", "");
        long size = response.headers().firstValue("X-Linked-Size").map(HubDownloader::parseSize).orElse(-1L);
        return new Expected(size, etag.matches("[0-9a-f]{64}") ? etag : null);
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void verify(URI url, Expected expected, long size, String sha256) {
        if (expected.size() >= 0 && size != expected.size()) {
            throw new XnerInputException(url + ": got " + size + " bytes, expected " + expected.size() + " (incomplete download?)");
        }
        if (expected.sha256() != null && !expected.sha256().equals(sha256)) {
            throw new XnerInputException(url + ": SHA-256 is " + sha256 + ", expected " + expected.sha256());
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static void checkNames(String repo, String revision, String path) {
        checkName("repository", repo);
        checkName("revision", revision);
        checkName("path", path);
    }

    /** Rejects names that could leave the cache directory or the repository's URL space ({@code ..}, empty parts). */
    private static void checkName(String what, String name) {
        if (name == null || name.isBlank() || name.contains("\\")
                || Arrays.stream(name.split("/", -1)).anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            throw new XnerInputException("not a valid hub " + what + ": \"" + name + "\"");
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        return Arrays.stream(path.split("/")).map(HubDownloader::encode).collect(Collectors.joining("/"));
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stray *.part file is harmless: it is never read as a cached file
        }
    }
}
