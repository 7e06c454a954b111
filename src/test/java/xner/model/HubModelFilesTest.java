package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.HubDownloader;
import xner.infer.Tagged;
import xner.infer.TagPipeline;
import xner.testing.FakeHub;

/**
 * Models by hub id, fetched from a stand-in for the hub ({@link FakeHub}) into a cache laid out as
 * {@code huggingface_hub} lays it out, then loaded as PyTorch wrote them (the fixtures of {@link PyTorchParityTest}).
 */
class HubModelFilesTest {
    private static final String REPO = "acme/tiny-ner";
    private static final Set<String> LFS = Set.of("pytorch_model.bin", "model.safetensors", "tf_model.h5");

    @TempDir Path cache;
    private final FakeHub hub = new FakeHub();
    private final FakeHub cdn = new FakeHub();

    @AfterEach
    void stop() {
        hub.close();
        cdn.close();
    }

    private HubDownloader downloader() {
        return new HubDownloader(hub.endpoint(), cache, null);
    }

    /** The repository's files at main and at its commit, small ones from the hub and LFS ones through the CDN. */
    private void serveRepo(Map<String, byte[]> files) {
        for (String revision : List.of("main", FakeHub.COMMIT)) {
            files.forEach((name, body) -> {
                String path = FakeHub.modelPath(REPO, revision, name);
                if (LFS.contains(name)) hub.lfs(path, body, cdn, FakeHub.COMMIT);
                else hub.serve(path, body);
            });
        }
    }

    private static Map<String, byte[]> fixture(String name, String... files) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String f : files) out.put(f, Files.readAllBytes(TorchReference.folder(name).resolve(f)));
        return out;
    }

    private Set<String> requestedFiles() {
        Set<String> names = new TreeSet<>();
        for (String path : hub.paths()) names.add(path.substring(path.lastIndexOf('/') + 1));
        return names;
    }

    @Test
    void aFineTunedModelByIdTagsAtOnceWithItsOwnLabelsFetchingOnlyWhatItNeeds() throws IOException {
        Map<String, byte[]> files = fixture("tiny-bert", "config.json", "vocab.txt", "tokenizer_config.json", "pytorch_model.bin");
        files.put("tf_model.h5", new byte[] {1, 2, 3}); // TensorFlow weights beside: never fetched
        serveRepo(files);

        LocalModel model = ModelSource.parse(REPO).fetch(downloader());

        assertEquals(cache.resolve("models--acme--tiny-ner/snapshots/" + FakeHub.COMMIT), model.folder());
        assertEquals(FakeHub.COMMIT, model.commit());
        assertFalse(model.fromCache());
        assertEquals("acme/tiny-ner@main (commit 0123456789ab)", model.describe());
        // the optional tokenizer files were asked for and found missing; no TensorFlow weights, no reference.json
        assertEquals(new TreeSet<>(List.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                "added_tokens.json", "vocab.txt", "pytorch_model.bin", "model.safetensors", "model.safetensors.index.json")),
                requestedFiles());
        try (TokenClassifier classifier = TokenClassifier.load(model.folder())) {
            assertEquals(List.of("O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"),
                    classifier.labels().names());
            TorchReference reference = TorchReference.of("tiny-bert");
            float[] logits = classifier.logits(2, reference.inputIds()[0].length, reference.flatIds(), reference.flatMask());
            for (int i = 0; i < 9; i++) assertEquals(reference.logits()[9 + i], logits[9 + i], 1e-4f); // "Jeff"
        }
        try (TagPipeline pipeline = TagPipeline.load(model.folder())) {
            Tagged tagged = pipeline.tag("Jeff Dean ist ein Informatiker bei Google in Kalifornien");
            assertEquals(List.of("O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"),
                    pipeline.labels().names());
            assertFalse(tagged.tokens().isEmpty());
        }
    }

    @Test
    void aSecondFetchAsksOnlyWhichCommitMainIs() throws IOException {
        serveRepo(fixture("tiny-bert", "config.json", "vocab.txt", "pytorch_model.bin"));
        ModelSource.parse(REPO).fetch(downloader());
        int before = hub.requests.size();
        int cdnBefore = cdn.requests.size();

        ModelSource.parse(REPO).fetch(downloader());

        assertEquals(List.of(FakeHub.modelPath(REPO, "main", "config.json")), hub.paths().subList(before, hub.paths().size()));
        assertEquals(cdnBefore, cdn.requests.size());
    }

    @Test
    void aModelPythonDownloadedIsUsedWithoutTheHub() throws IOException {
        // the cache as huggingface_hub leaves it after from_pretrained: blobs, refs/main, relative links
        Path repo = cache.resolve("models--acme--tiny-ner");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), FakeHub.COMMIT);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/" + FakeHub.COMMIT));
        for (var e : fixture("tiny-distilbert", "config.json", "vocab.txt", "pytorch_model.bin").entrySet()) {
            Path blob = Files.createDirectories(repo.resolve("blobs")).resolve(FakeHub.sha256(e.getValue()));
            Files.write(blob, e.getValue());
            Files.createSymbolicLink(snapshot.resolve(e.getKey()), Path.of("../../blobs").resolve(blob.getFileName()));
        }
        HubDownloader unreachable = new HubDownloader(URI.create("http://127.0.0.1:" + FakeHub.closedPort()), cache, null);
        HubDownloader offline = new HubDownloader(hub.endpoint(), cache, null, true);

        LocalModel fallback = ModelSource.parse(REPO).fetch(unreachable);
        LocalModel pinned = ModelSource.parse(REPO + "@" + FakeHub.COMMIT).fetch(offline);

        assertTrue(fallback.fromCache());
        assertTrue(fallback.describe().endsWith("from the cache: the hub could not be reached)"), fallback.describe());
        assertEquals(snapshot, pinned.folder());
        assertEquals(0, hub.requests.size());
        try (TokenClassifier model = TokenClassifier.load(fallback.folder())) {
            assertEquals("distilbert", model.config().modelType());
        }
    }

    @Test
    void aRevisionAfterTheAtIsAskedForAndRecorded() throws IOException {
        Map<String, byte[]> files = fixture("tiny-bert", "config.json", "vocab.txt", "pytorch_model.bin");
        files.forEach((name, body) -> {
            if (LFS.contains(name)) hub.lfs(FakeHub.modelPath(REPO, "v1.0", name), body, cdn, FakeHub.COMMIT);
            else hub.serve(FakeHub.modelPath(REPO, "v1.0", name), body);
        });
        serveRepo(files);

        LocalModel model = ModelSource.parse(REPO + "@v1.0").fetch(downloader());

        assertEquals(FakeHub.modelPath(REPO, "v1.0", "config.json"), hub.paths().get(0));
        assertEquals(FakeHub.COMMIT, Files.readString(cache.resolve("models--acme--tiny-ner/refs/v1.0")));
        assertEquals("acme/tiny-ner@v1.0", model.source().toString());
    }

    @Test
    void shardedSafetensorsAreFetchedShardByShard() throws IOException {
        byte[] index = "{\"metadata\": {}, \"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, byte[]> files = fixture("tiny-bert", "config.json", "vocab.txt");
        files.put("model.safetensors.index.json", index);
        files.put("model-00001-of-00002.safetensors", new byte[] {1});
        files.put("model-00002-of-00002.safetensors", new byte[] {2});
        files.put("pytorch_model.bin", new byte[] {3}); // also there: not fetched
        serveRepo(files);

        LocalModel model = ModelSource.parse(REPO).fetch(downloader());

        assertTrue(Files.isRegularFile(model.folder().resolve("model-00002-of-00002.safetensors")));
        assertFalse(requestedFiles().contains("pytorch_model.bin"));
    }

    @Test
    void aGatedModelSaysWhatTheHubSaidAndThatATokenIsNeeded() {
        hub.answer(FakeHub.modelPath(REPO, "main", "config.json"), 401, Map.of("X-Error-Code", "GatedRepo",
                "X-Error-Message", "Access to model acme/tiny-ner is restricted."));

        XnerInputException e = assertThrows(XnerInputException.class, () -> ModelSource.parse(REPO).fetch(downloader()));

        assertTrue(e.getMessage().startsWith("acme/tiny-ner is not a folder here, so it was looked up on the hub: " + hub.endpoint()
                + "/acme/tiny-ner/resolve/main/config.json: HTTP 401: a gated repository (the hub says: Access to model "
                + "acme/tiny-ner is restricted.)"), e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void aMissingFolderThatLooksLikeAnIdIsLookedUpAndBothAreSaid() {
        hub.answer(FakeHub.modelPath("runs/de", "main", "config.json"), 401,
                Map.of("X-Error-Code", "RepoNotFound"));

        XnerInputException e = assertThrows(XnerInputException.class, () -> ModelSource.parse("runs/de").fetch(downloader()));

        assertTrue(e.getMessage().startsWith("runs/de is not a folder here, so it was looked up on the hub: "), e.getMessage());
        assertTrue(e.getMessage().contains("no such repository on the hub"), e.getMessage());
    }

    @Test
    void aRepositoryWithoutWeightsXnerReadsIsNamed() throws IOException {
        Map<String, byte[]> files = fixture("tiny-bert", "config.json", "vocab.txt");
        files.put("tf_model.h5", new byte[] {1});
        serveRepo(files);

        XnerInputException e = assertThrows(XnerInputException.class, () -> ModelSource.parse(REPO).fetch(downloader()));

        assertTrue(e.getMessage().startsWith("acme/tiny-ner: no weights xner reads at commit " + FakeHub.COMMIT), e.getMessage());
        assertTrue(e.getMessage().contains("TensorFlow, Flax and ONNX weights are not read"), e.getMessage());
    }

    @Test
    void aDownloadCutMidFileLeavesNothingAndTheNextFetchSucceeds() throws IOException {
        Map<String, byte[]> files = fixture("tiny-bert", "config.json", "vocab.txt", "pytorch_model.bin");
        serveRepo(files);
        byte[] weights = files.get("pytorch_model.bin");
        hub.redirect(FakeHub.modelPath(REPO, FakeHub.COMMIT, "pytorch_model.bin"), cdn.endpoint() + "/cut",
                Map.of("X-Linked-Etag", FakeHub.sha256(weights), "X-Linked-Size", String.valueOf(weights.length)));
        cdn.cut("/cut", weights, weights.length / 3);

        XnerInputException e = assertThrows(XnerInputException.class, () -> ModelSource.parse(REPO).fetch(downloader()));

        assertTrue(e.getMessage().startsWith("acme/tiny-ner: " + hub.endpoint() + "/acme/tiny-ner/resolve/" + FakeHub.COMMIT
                + "/pytorch_model.bin: "), e.getMessage());
        try (Stream<Path> all = Files.walk(cache)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("incomplete") || p.endsWith("pytorch_model.bin")));
        }
        serveRepo(files); // the connection holds this time
        LocalModel model = ModelSource.parse(REPO).fetch(downloader());
        assertEquals(FakeHub.sha256(weights), FakeHub.sha256(Files.readAllBytes(model.folder().resolve("pytorch_model.bin"))));
    }

    @Test
    void anExistingFolderWinsAndOnlyOrgSlashNameIsAHubId() throws IOException {
        Path folder = Files.createDirectories(cache.resolve("acme/tiny-ner"));
        Path relative = Path.of("").toAbsolutePath().relativize(folder);

        assertEquals(new ModelSource.Folder(relative), ModelSource.parse(relative.toString()));
        assertEquals(new ModelSource.Hub("acme/tiny-ner", "main"), ModelSource.parse("acme/tiny-ner"));
        assertEquals(new ModelSource.Hub("Davlan/xlm-roberta-base-ner-hrl", "refs/pr/3"),
                ModelSource.parse("Davlan/xlm-roberta-base-ner-hrl@refs/pr/3"));
        for (String folderLike : List.of("./acme/tiny", "/acme/tiny", "~/models/x", "runs", "a/b/c", "acme/-x", "acme/a--b")) {
            assertInstanceOf(ModelSource.Folder.class, ModelSource.parse(folderLike), folderLike);
        }
        // a folder is taken as it is: nothing asked of the hub (a missing one fails when it is loaded, naming it)
        assertEquals(LocalModel.folder(Path.of("runs")), ModelSource.parse("runs").fetch(downloader()));
        assertEquals(0, hub.requests.size());
    }

    @Test
    void aModelTypeXnerDoesNotBuildStopsBeforeTheWeights() {
        serveRepo(Map.of("config.json", "{\"model_type\": \"deberta-v2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "pytorch_model.bin", new byte[] {1}));

        XnerInputException e = assertThrows(XnerInputException.class, () -> ModelSource.parse(REPO).fetch(downloader()));

        assertTrue(e.getMessage().endsWith("config.json: model_type: unsupported \"deberta-v2\" (xner supports bert, xlm-roberta, "
                + "roberta, camembert, distilbert)"), e.getMessage());
        assertEquals(1, hub.requests.size());
        assertEquals(0, cdn.requests.size());
    }
}
