package xner.model;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import xner.XnerInputException;
import xner.data.HubDownloader;
import xner.data.HubDownloader.HubFile;
import xner.data.HubDownloader.Repo;
import xner.io.StrictJson;

/**
 * The files of a model repository of the hub that xner reads, fetched into {@code huggingface_hub}'s cache at one
 * commit, so that the snapshot folder is a model folder in Hugging Face layout.
 *
 * <p>What is fetched, and no more: {@code config.json} first (its answer names the commit the revision points at; every
 * other file is then asked for at that commit, so all come from one commit; a config xner cannot build stops the fetch
 * before the weights); the tokenizer's {@code tokenizer.json},
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code added_tokens.json} where the repository has
 * them, and only without a {@code tokenizer.json} its {@code vocab.txt}, else {@code sentencepiece.bpe.model}; the
 * weights in the order transformers prefers them ({@link ModelDirectory#WEIGHT_FILES}): {@code model.safetensors},
 * else the safetensors index and its shards, else {@code pytorch_model.bin}, else its index and shards. TensorFlow,
 * Flax and ONNX files are never fetched. A file the cache already holds at that commit (Python downloaded it, or an
 * earlier run) is not fetched again; a file the repository lacks is remembered in the cache's {@code .no_exist}.
 *
 * <p>When the hub cannot be reached at all, the cache's copy of the revision is used, as {@code huggingface_hub} does,
 * and {@link LocalModel#fromCache()} says so.
 */
public final class HubModelFiles {
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json");
    /** Read only when the repository has no tokenizer.json, in this order. */
    private static final List<String> VOCABULARY_FILES = List.of("vocab.txt", "sentencepiece.bpe.model");

    private HubModelFiles() {}

    /**
     * Fetches what a token classifier (or a body to fine-tune) needs from {@code source}.
     *
     * @throws XnerInputException naming the id and the URL: the repository or revision does not exist, is gated or
     *                            private without a token, has no weights xner reads, a download failed, or the hub
     *                            cannot be reached and the cache has no copy
     */
    public static LocalModel fetch(ModelSource.Hub source, HubDownloader hub) {
        Repo repo = Repo.model(source.repo());
        String commit;
        boolean fromCache = false;
        HubDownloader files = hub;
        try {
            commit = hub.download(repo, source.revision(), ModelDirectory.CONFIG).commit();
        } catch (HubDownloader.UnreachableException e) {
            Optional<HubFile> cached = hub.cached(repo, source.revision(), ModelDirectory.CONFIG);
            if (cached.isEmpty()) {
                throw new XnerInputException(source + " is not a folder here, and the hub cannot be reached to fetch it "
                        + "(nor is it in the cache, " + hub.repoFolder(repo) + "): " + e.getMessage(), e);
            }
            commit = cached.get().commit();
            files = hub.cacheOnly();
            fromCache = true;
        } catch (XnerInputException e) {
            throw new XnerInputException(source + " is not a folder here" + (hub.offline() ? ", and" : ", so it was looked up on the hub:")
                    + " " + e.getMessage(), e);
        }
        try {
            // a config xner cannot build (a model_type it does not know) stops here, before gigabytes of weights
            BertConfig.read(hub.snapshot(repo, commit).resolve(ModelDirectory.CONFIG));
            fetchTokenizer(files, repo, commit);
            fetchWeights(files, repo, commit, source);
        } catch (XnerInputException e) {
            throw new XnerInputException(source + ": " + e.getMessage(), e);
        }
        return new LocalModel(hub.snapshot(repo, commit), source, commit, fromCache);
    }

    private static void fetchTokenizer(HubDownloader hub, Repo repo, String commit) {
        boolean json = false;
        for (String name : TOKENIZER_FILES) {
            boolean present = hub.downloadIfPresent(repo, commit, name).isPresent();
            if (name.equals("tokenizer.json")) json = present;
        }
        if (json) return;
        for (String name : VOCABULARY_FILES) {
            if (hub.downloadIfPresent(repo, commit, name).isPresent()) return;
        }
        // no tokenizer files: Tokenizers.load names what it looked for when the model is loaded
    }

    private static void fetchWeights(HubDownloader hub, Repo repo, String commit, ModelSource.Hub source) {
        for (String name : ModelDirectory.WEIGHT_FILES) {
            Optional<HubFile> file = hub.downloadIfPresent(repo, commit, name);
            if (file.isEmpty()) continue;
            if (name.endsWith(".index.json")) {
                for (String shard : shards(file.get().file())) hub.download(repo, commit, shard);
            }
            return;
        }
        throw new XnerInputException("no weights xner reads at commit " + commit + " (" + String.join(", ",
                ModelDirectory.WEIGHT_FILES) + ")" + (hub.offline() ? "; HF_HUB_OFFLINE is set and the cache ("
                + hub.snapshot(repo, commit) + ") has none of them" : ": TensorFlow, Flax and ONNX weights are not read"));
    }

    /** The distinct shard files an index's {@code weight_map} names, in order. */
    private static Set<String> shards(Path index) {
        Set<String> shards = new LinkedHashSet<>();
        try {
            JsonElement root = StrictJson.parse(Files.readString(index, StandardCharsets.UTF_8));
            JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
            if (map == null || !map.isJsonObject()) throw new XnerInputException(index + ": no \"weight_map\" object");
            for (var e : map.getAsJsonObject().entrySet()) {
                if (!e.getValue().isJsonPrimitive()) throw new XnerInputException(index + ": weight_map[\"" + e.getKey() + "\"] is not a file name");
                shards.add(e.getValue().getAsString()); // the downloader refuses a name that would leave the repository
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
        return shards;
    }
}
