package xner.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.HubDownloader.Expected;
import xner.data.HubDownloader.HubFile;
import xner.data.HubDownloader.Repo;
import xner.testing.FakeHub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

class HubDownloaderTest {
    private static final Repo XTREME = Repo.dataset("google/xtreme");
    private static final Repo MODEL = Repo.model("acme/tiny-ner");
    private static final String FILE = "PAN-X.de/train-00000-of-00001.parquet";
    private static final String OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
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

    private List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    @Test
    void urlsAndCacheFoldersAreHuggingFaceHubs() {
        HubDownloader downloader = new HubDownloader(URI.create("https://huggingface.co/"), cache, null);

        assertEquals(URI.create("https://huggingface.co/datasets/google/xtreme/resolve/main/" + FILE),
                downloader.url(XTREME, "main", FILE));
        assertEquals(URI.create("https://huggingface.co/datasets/google/xtreme/resolve/refs%2Fconvert%2Fparquet/PAN-X.de/train/0000.parquet"),
                downloader.url(XTREME, "refs/convert/parquet", "PAN-X.de/train/0000.parquet"));
        assertEquals(URI.create("https://huggingface.co/acme/tiny-ner/resolve/main/config.json"),
                downloader.url(MODEL, "main", "config.json"));
        assertEquals(cache.resolve("datasets--google--xtreme"), downloader.repoFolder(XTREME));
        assertEquals(cache.resolve("models--acme--tiny-ner"), downloader.repoFolder(MODEL));
    }

    @Test
    void downloadsIntoBlobsLinksTheSnapshotAndRecordsTheRef() throws IOException {
        hub.serve(FakeHub.resolvePath(FILE), BODY);

        HubFile file = downloader(null).download(XTREME, "main", FILE);

        Path repo = cache.resolve("datasets--google--xtreme");
        Path blob = repo.resolve("blobs").resolve(FakeHub.gitBlobHash(BODY));
        assertEquals(new HubFile(repo.resolve("snapshots/" + FakeHub.COMMIT + "/" + FILE), FakeHub.COMMIT), file);
        assertArrayEquals(BODY, Files.readAllBytes(file.file()));
        assertTrue(Files.isSymbolicLink(file.file()));
        // relative, as huggingface_hub links it, so the cache can move
        assertEquals(Path.of("../../../blobs/" + FakeHub.gitBlobHash(BODY)), Files.readSymbolicLink(file.file()));
        assertEquals(FakeHub.COMMIT, Files.readString(repo.resolve("refs/main")));
        assertEquals(List.of(blob, repo.resolve("refs/main")), filesIn(cache)); // nothing partial
    }

    @Test
    void aCachedFileIsFoundWithoutTheHubAndAnotherCommitReusesItsBlob() throws IOException {
        hub.serve(FakeHub.resolvePath(FILE), BODY);
        HubDownloader downloader = downloader(null);
        downloader.download(XTREME, "main", FILE);

        assertEquals(Optional.of(FakeHub.COMMIT), downloader.cachedCommit(XTREME, "main"));
        assertTrue(downloader.cached(XTREME, "main", FILE).isPresent());
        assertTrue(downloader.cached(XTREME, "main", "PAN-X.fr/train-00000-of-00001.parquet").isEmpty());
        assertEquals(1, hub.requests.size());

        // main moves to another commit holding the same bytes: the blob is linked, not written again
        hub.serve(FakeHub.resolvePath(FILE), BODY, Map.of("X-Repo-Commit", OTHER_COMMIT));
        HubFile moved = downloader.download(XTREME, "main", FILE);

        assertEquals(OTHER_COMMIT, moved.commit());
        assertEquals(OTHER_COMMIT, Files.readString(cache.resolve("datasets--google--xtreme/refs/main")));
        assertEquals(1, filesIn(cache.resolve("datasets--google--xtreme/blobs")).size());
    }

    @Test
    void aCommitRevisionInTheCacheAsksNothing() throws IOException {
        hub.serve(FakeHub.modelPath("acme/tiny-ner", "main", "config.json"), BODY);
        downloader(null).download(MODEL, "main", "config.json");

        HubFile again = downloader(null).download(MODEL, FakeHub.COMMIT, "config.json");

        assertEquals(FakeHub.COMMIT, again.commit());
        assertEquals(1, hub.requests.size());
    }

    @Test
    void followsTheHubsRedirectToItsCdnAndChecksTheLinkedEtag() throws IOException {
        hub.lfs(FakeHub.modelPath("acme/tiny-ner", "main", "model.safetensors"), BODY, cdn, FakeHub.COMMIT);

        HubFile file = downloader(null).download(MODEL, "main", "model.safetensors");

        assertArrayEquals(BODY, Files.readAllBytes(file.file()));
        assertTrue(Files.isRegularFile(cache.resolve("models--acme--tiny-ner/blobs/" + FakeHub.sha256(BODY))));
        assertEquals(1, cdn.requests.size());
    }

    @Test
    void followsARelativeRedirect() throws IOException {
        hub.redirect(FakeHub.resolvePath(FILE), "/api/resolve-cache/blob", Map.of());
        hub.serve("/api/resolve-cache/blob", BODY);

        assertArrayEquals(BODY, Files.readAllBytes(downloader(null).download(XTREME, "main", FILE).file()));
        assertEquals(List.of(FakeHub.resolvePath(FILE), "/api/resolve-cache/blob"), hub.paths());
    }

    @Test
    void sendsTheTokenAsBearerToTheHubButNotToTheCdn() {
        hub.lfs(FakeHub.resolvePath(FILE), BODY, cdn, FakeHub.COMMIT);

        downloader("hf_secret").download(XTREME, "main", FILE);

        assertEquals("Bearer hf_secret", hub.requests.get(0).authorization());
        assertNull(cdn.requests.get(0).authorization());
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() {
        hub.serve(FakeHub.resolvePath(FILE), BODY);
        downloader(" ").download(XTREME, "main", FILE);
        assertNull(hub.requests.get(0).authorization());
    }

    @Test
    void aWrongSha256LeavesNothingInTheCache() throws Exception {
        String other = "PAN-X.de/test-00000-of-00001.parquet";
        hub.redirect(FakeHub.resolvePath(other), cdn.endpoint() + "/blob",
                Map.of("X-Linked-Etag", "\"" + FakeHub.sha256(new byte[1]) + "\""));
        cdn.serveRaw("/blob", BODY, Map.of());

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(XTREME, "main", other));

        assertEquals(hub.endpoint() + FakeHub.resolvePath(other) + ": SHA-256 is " + FakeHub.sha256(BODY) + ", expected "
                + FakeHub.sha256(new byte[1]), e.getMessage());
        assertTrue(filesIn(cache).stream().noneMatch(p -> p.toString().contains("blobs")), filesIn(cache).toString());
    }

    @Test
    void aConnectionCutMidFileLeavesNothingPartial() throws IOException {
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        hub.redirect(FakeHub.modelPath("acme/tiny-ner", "main", "pytorch_model.bin"), cdn.endpoint() + "/cut",
                Map.of("X-Linked-Etag", FakeHub.sha256(big), "X-Linked-Size", String.valueOf(big.length)));
        cdn.cut("/cut", big, 70_000);

        XnerInputException e = assertThrows(XnerInputException.class,
                () -> downloader(null).download(MODEL, "main", "pytorch_model.bin"));

        assertTrue(e.getMessage().startsWith(hub.endpoint() + "/acme/tiny-ner/resolve/main/pytorch_model.bin: "), e.getMessage());
        assertTrue(e.getMessage().contains("of " + big.length) || e.getMessage().contains("expected " + big.length), e.getMessage());
        assertTrue(filesIn(cache).stream().noneMatch(p -> p.toString().contains("blobs") || p.toString().contains("snapshots")),
                filesIn(cache).toString());
    }

    @Test
    void checksWhatTheCallerExpects() throws Exception {
        hub.serve(FakeHub.resolvePath(FILE), BODY);

        XnerInputException e = assertThrows(XnerInputException.class,
                () -> downloader(null).download(XTREME, "main", FILE, new Expected(BODY.length + 1, null)));

        assertTrue(e.getMessage().endsWith(": got " + BODY.length + " bytes, expected " + (BODY.length + 1) + " (incomplete download?)"),
                e.getMessage());
        assertFalse(Files.exists(cache.resolve("datasets--google--xtreme/blobs/" + FakeHub.gitBlobHash(BODY))));
        HubFile file = downloader(null).download(XTREME, "main", FILE, new Expected(BODY.length, FakeHub.sha256(BODY)));
        assertArrayEquals(BODY, Files.readAllBytes(file.file()));
    }

    @Test
    void aMissingOptionalFileIsEmptyAndRememberedAtItsCommit() {
        HubDownloader downloader = downloader(null);

        assertTrue(downloader.downloadIfPresent(MODEL, "main", "tokenizer.json").isEmpty());
        assertTrue(Files.exists(cache.resolve("models--acme--tiny-ner/.no_exist/" + FakeHub.COMMIT + "/tokenizer.json")));
        assertTrue(downloader.downloadIfPresent(MODEL, FakeHub.COMMIT, "tokenizer.json").isEmpty());
        assertEquals(1, hub.requests.size()); // the second answer came from .no_exist

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader.download(MODEL, "main", "tokenizer.json"));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void aGatedRepositoryIsRefusedWithTheHubsWordsAndATokenHint() {
        hub.answer(FakeHub.modelPath("acme/tiny-ner", "main", "config.json"), 401, Map.of("X-Error-Code", "GatedRepo",
                "X-Error-Message", "Access to model acme/tiny-ner is restricted. You must be authenticated to access it."));

        XnerInputException e = assertThrows(XnerInputException.class,
                () -> downloader(null).downloadIfPresent(MODEL, "main", "config.json"));

        assertTrue(e.getMessage().startsWith(hub.endpoint() + "/acme/tiny-ner/resolve/main/config.json: HTTP 401: a gated repository"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Access to model acme/tiny-ner is restricted"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void anErrorAfterARedirectNamesBothUrls() {
        hub.redirect(FakeHub.resolvePath(FILE), cdn.endpoint() + "/gone", Map.of());

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(XTREME, "main", FILE));

        assertTrue(e.getMessage().startsWith(hub.endpoint() + FakeHub.resolvePath(FILE) + ": HTTP 404 (at " + cdn.endpoint()
                + "/gone): no such file, revision or repository on the hub"), e.getMessage());
    }

    @Test
    void anAnswerWithoutACommitIsNotTheHub() {
        hub.serveRaw(FakeHub.resolvePath(FILE), BODY, Map.of("ETag", "\"abc\""));

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(XTREME, "main", FILE));

        assertTrue(e.getMessage().contains("names no commit (X-Repo-Commit)"), e.getMessage());
    }

    @Test
    void anEtagThatWouldLeaveTheBlobsFolderIsRefused() {
        hub.serve(FakeHub.resolvePath(FILE), BODY, Map.of("ETag", "\"../../evil\""));

        XnerInputException e = assertThrows(XnerInputException.class, () -> downloader(null).download(XTREME, "main", FILE));

        assertTrue(e.getMessage().contains("no usable ETag"), e.getMessage());
    }

    @Test
    void anUnreachableHubIsAnUnreachableException() {
        HubDownloader down = new HubDownloader(URI.create("http://127.0.0.1:" + FakeHub.closedPort()), cache, null);

        XnerInputException e = assertThrows(XnerInputException.class, () -> down.download(MODEL, "main", "config.json"));

        assertInstanceOf(HubDownloader.UnreachableException.class, e);
        assertTrue(e.getMessage().contains("cannot connect to the hub"), e.getMessage());
    }

    @Test
    void offlineTheCacheAloneAnswers() throws IOException {
        hub.serve(FakeHub.modelPath("acme/tiny-ner", "main", "config.json"), BODY);
        downloader(null).download(MODEL, "main", "config.json");
        HubDownloader offline = new HubDownloader(hub.endpoint(), cache, null, true);

        assertArrayEquals(BODY, Files.readAllBytes(offline.download(MODEL, "main", "config.json").file()));
        assertTrue(offline.downloadIfPresent(MODEL, "main", "vocab.txt").isEmpty());
        XnerInputException e = assertThrows(XnerInputException.class, () -> offline.download(MODEL, "v2", "config.json"));
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
        assertEquals(1, hub.requests.size());
    }

    @Test
    void namesThatWouldLeaveTheCacheAreRefused() {
        HubDownloader downloader = downloader(null);
        assertThrows(XnerInputException.class, () -> downloader.download(XTREME, "..", FILE));
        assertThrows(XnerInputException.class, () -> downloader.download(XTREME, "main", "../../etc/passwd"));
        assertThrows(XnerInputException.class, () -> Repo.dataset("google//xtreme"));
        assertEquals(0, hub.requests.size());
    }

    @Test
    void readsEndpointTokenCacheAndOfflineFromTheEnvironmentAsHuggingFaceHubDoes() throws IOException {
        HubDownloader configured = HubDownloader.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.example",
                "HF_HUB_CACHE", cache.toString(), "HF_TOKEN", "hf_x", "HF_HUB_OFFLINE", "1"));
        assertEquals(URI.create("https://hf-mirror.example"), configured.endpoint());
        assertEquals(cache, configured.cacheDir());
        assertTrue(configured.offline());

        HubDownloader defaults = HubDownloader.fromEnvironment(Map.of("HF_HOME", cache.resolve("nowhere").toString()));
        assertEquals(HubDownloader.DEFAULT_ENDPOINT, defaults.endpoint());
        assertFalse(defaults.offline());

        Path home = Path.of(System.getProperty("user.home"));
        assertEquals(home.resolve(".cache/huggingface/hub"), HubDownloader.cacheDir(Map.of()));
        assertEquals(Path.of("/x/huggingface/hub"), HubDownloader.cacheDir(Map.of("XDG_CACHE_HOME", "/x")));
        assertEquals(Path.of("/h/hub"), HubDownloader.cacheDir(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x")));
        assertEquals(home.resolve("c"), HubDownloader.cacheDir(Map.of("HF_HUB_CACHE", "~/c", "HF_HOME", "/h")));
        assertEquals(Path.of("/old"), HubDownloader.cacheDir(Map.of("HUGGINGFACE_HUB_CACHE", "/old")));

        // huggingface-cli login writes $HF_HOME/token; HF_TOKEN wins over it
        Files.writeString(cache.resolve("token"), "hf_from_file\n");
        assertEquals("hf_from_file", HubDownloader.token(Map.of("HF_HOME", cache.toString())));
        assertEquals("hf_env", HubDownloader.token(Map.of("HF_HOME", cache.toString(), "HF_TOKEN", "hf_env")));
        assertNull(HubDownloader.token(Map.of("HF_HOME", cache.resolve("nowhere").toString())));
    }
}
