package xner.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.HubDownloader.Expected;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

class HubDownloaderTest {
    private static final String REPO = "google/xtreme";
    private static final String FILE = "PAN-X.de/train-00000-of-00001.parquet";
    private static final byte[] BODY = "not really parquet, but bytes all the same".getBytes(StandardCharsets.UTF_8);

    @TempDir Path cache;
    private final FakeHub hub = new FakeHub();
    private final FakeHub cdn = new FakeHub();

    @AfterEach
    void stop() {
        hub.close();
        cdn.close();
    }

    private HubDownloader downloader(String token) {
        return new HubDownloader(hub.endpoint(), cache, token);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void urlAndCachePathFollowTheHubLayout() {
        HubDownloader downloader = new HubDownloader(URI.create("https://huggingface.co/"), cache, null);

        assertEquals(URI.create("https://huggingface.co/datasets/google/xtreme/resolve/main/" + FILE),
                downloader.url(REPO, "main", FILE));
        assertEquals(URI.create("https://huggingface.co/datasets/google/xtreme/resolve/refs%2Fconvert%2Fparquet/PAN-X.de/train/0000.parquet"),
                downloader.url(REPO, "refs/convert/parquet", "PAN-X.de/train/0000.parquet"));
        assertEquals(cache.resolve("datasets/google/xtreme/refs%2Fconvert%2Fparquet/PAN-X.de/train/0000.parquet"),
                downloader.cachePath(REPO, "refs/convert/parquet", "PAN-X.de/train/0000.parquet"));
    }

    @Test
    void downloadsIntoTheCacheOnceAndLeavesNoPartialFile() throws IOException {
        hub.serve(FakeHub.resolvePath(FILE), BODY);

        Path file = downloader(null).download(REPO, "main", FILE);
        Path again = downloader(null).download(REPO, "main", FILE);

        assertEquals(cache.resolve("datasets/google/xtreme/main/" + FILE), file);
        assertEquals(file, again);
        assertArrayEquals(BODY, Files.readAllBytes(file));
        assertEquals(1, hub.requests.size());
        assertEquals(1, filesIn(cache));
    }

    @Test
    void followsTheHubsRedirectToItsCdn() throws IOException {
        hub.redirect(FakeHub.resolvePath(FILE), cdn.endpoint() + "/repos/ab/cd/blob", Map.of());
        cdn.serve("/repos/ab/cd/blob", BODY);

        Path file = downloader(null).download(REPO, "main", FILE);

        assertArrayEquals(BODY, Files.readAllBytes(file));
        assertEquals(1, cdn.requests.size());
    }

    @Test
    void followsARelativeRedirect() throws IOException {
        hub.redirect(FakeHub.resolvePath(FILE), "/api/resolve-cache/blob", Map.of());
        hub.serve("/api/resolve-cache/blob", BODY);

        assertArrayEquals(BODY, Files.readAllBytes(downloader(null).download(REPO, "main", FILE)));
        assertEquals(List.of(FakeHub.resolvePath(FILE), "/api/resolve-cache/blob"),
                hub.requests.stream().map(FakeHub.Request::path).toList());
    }

    @Test
    void sendsTheTokenAsBearerToTheHubButNotToTheCdn() {
        hub.redirect(FakeHub.resolvePath(FILE), cdn.endpoint() + "/blob", Map.of());
        cdn.serve("/blob", BODY);

        downloader("hf_secret").download(REPO, "main", FILE);

        assertEquals("Bearer hf_secret", hub.requests.get(0).authorization());
        assertNull(cdn.requests.get(0).authorization());
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() {
        hub.serve(FakeHub.resolvePath(FILE), BODY);
        downloader(" ").download(REPO, "main", FILE);
        assertNull(hub.requests.get(0).authorization());
    }

    @Test
    void checksTheSha256AndSizeTheHubDeclares() throws Exception {
        hub.redirect(FakeHub.resolvePath(FILE), "/blob", Map.of("X-Linked-Etag", "\"" + sha256(BODY) + "\"",
                "X-Linked-Size", String.valueOf(BODY.length)));
        hub.serve("/blob", BODY);
        assertArrayEquals(BODY, Files.readAllBytes(downloader(null).download(REPO, "main", FILE)));

        String other = "PAN-X.de/test-00000-of-00001.parquet";
        hub.redirect(FakeHub.resolvePath(other), "/blob", Map.of("X-Linked-Etag", "\"" + sha256(new byte[1]) + "\""));
        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(REPO, "main", other));

        assertEquals(hub.endpoint() + FakeHub.resolvePath(other) + ": SHA-256 is " + sha256(BODY) + ", expected "
                + sha256(new byte[1]), e.getMessage());
        assertEquals(1, filesIn(cache)); // the first file only: nothing of the failed one, not even a .part file
    }

    @Test
    void checksWhatTheCallerExpects() throws Exception {
        hub.serve(FakeHub.resolvePath(FILE), BODY);

        XnerInputException e = assertThrows(XnerInputException.class,
                () -> downloader(null).download(REPO, "main", FILE, new Expected(BODY.length + 1, null)));

        assertTrue(e.getMessage().endsWith(": got " + BODY.length + " bytes, expected " + (BODY.length + 1) + " (incomplete download?)"),
                e.getMessage());
        assertEquals(0, filesIn(cache));
        Path file = downloader(null).download(REPO, "main", FILE, new Expected(BODY.length, sha256(BODY)));
        assertArrayEquals(BODY, Files.readAllBytes(file));
    }

    @Test
    void aRefusalSuggestsAToken() {
        hub.answer(FakeHub.resolvePath(FILE), 401);

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(REPO, "main", FILE));

        assertTrue(e.getMessage().startsWith(hub.endpoint() + FakeHub.resolvePath(FILE) + ": HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void anErrorAfterARedirectNamesBothUrls() {
        hub.redirect(FakeHub.resolvePath(FILE), cdn.endpoint() + "/gone", Map.of());

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(REPO, "main", FILE));

        assertEquals(hub.endpoint() + FakeHub.resolvePath(FILE) + ": HTTP 404 (at " + cdn.endpoint()
                + "/gone): no such file, revision or repository on the hub", e.getMessage());
    }

    @Test
    void namesThatWouldLeaveTheCacheAreRefused() {
        HubDownloader downloader = downloader(null);
        assertThrows(XnerInputException.class, () -> downloader.download(REPO, "..", FILE));
        assertThrows(XnerInputException.class, () -> downloader.download(REPO, "main", "../../etc/passwd"));
        assertThrows(XnerInputException.class, () -> downloader.download("google//xtreme", "main", FILE));
        assertEquals(0, hub.requests.size());
    }

    @Test
    void readsEndpointTokenAndCacheFromTheEnvironmentAsHuggingFaceHubDoes() {
        HubDownloader configured = HubDownloader.fromEnvironment(
                Map.of("HF_ENDPOINT", "https://hf-mirror.example", "XNER_CACHE", cache.toString(), "HF_TOKEN", "hf_x"));
        assertEquals(URI.create("https://hf-mirror.example"), configured.endpoint());
        assertEquals(cache, configured.cacheDir());

        HubDownloader defaults = HubDownloader.fromEnvironment(Map.of());
        assertEquals(HubDownloader.DEFAULT_ENDPOINT, defaults.endpoint());
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "xner"), defaults.cacheDir());
    }
}
