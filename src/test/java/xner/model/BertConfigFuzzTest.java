package xner.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import xner.testing.Fuzzing;

/**
 * A model's {@code config.json} from outside (issue 26 §4): it reads, or is refused naming the file and the key; and
 * a config that reads is written back ({@link BertConfig#toJson}, as a saved model writes it) into a file that reads
 * as the same config, so that a model saved from it loads again.
 */
class BertConfigFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void readsOrRefusesNamingTheKey(byte[] bytes) {
        Path file = Fuzzing.file("model/" + ModelDirectory.CONFIG, bytes);
        BertConfig config = Fuzzing.readOrNull(file, () -> ModelDirectory.readConfig(file.getParent()));
        if (config == null) return;
        String written = config.toJson();
        BertConfig again = BertConfig.fromJson(written, "the config written back"); // any exception here is a finding
        if (!again.equals(config)) {
            throw new AssertionError("written back as " + written + " it reads as " + again + ", not " + config);
        }
    }
}
