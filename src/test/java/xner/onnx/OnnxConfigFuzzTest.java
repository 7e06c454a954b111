package xner.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import xner.data.LabelSet;
import xner.testing.Fuzzing;
import xner.testing.TinyModels;
import xner.model.BertConfig;
import xner.model.ModelDirectory;
import xner.model.TokenClassifier;

/**
 * The ONNX model's {@code config.json} from outside (issue 26 §4): beside a real exported {@code model.onnx} (a tiny
 * BERT, PAN-X's labels), any {@code config.json}. The config decides the labels, the sequence length and the fused
 * graph ONNX Runtime runs ({@link OnnxRuntimeForm}, built from the config's sizes and the file's weights), so besides
 * "loads, or is refused naming the file", a model that loads must answer as the file does when run as stored: a config
 * that does not describe the file must be refused or run the file as stored, never a different model.
 */
class OnnxConfigFuzzTest {
    private static final Path EXPORTED = export();

    @FuzzTest(maxDuration = "5m")
    void loadsAsTheFileOrRefuses(byte[] bytes) {
        Path dir = Fuzzing.file("onnx/" + ModelDirectory.CONFIG, bytes).getParent();
        copyModelInto(dir);
        OnnxTokenClassifier fused = Fuzzing.readOrNull(dir, () -> OnnxTokenClassifier.load(dir, null, 1, true));
        if (fused == null) return;
        try (fused; OnnxTokenClassifier stored = OnnxTokenClassifier.load(dir, null, 1, false)) {
            // as long as the config lets a window be (up to 24 tokens, past the file's 16 positions), two rows
            int length = Math.min(24, fused.maxSequenceLength());
            long[] ids = new long[2 * length];
            long[] mask = new long[2 * length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1 + i % (TinyModels.VOCAB - 1);
                mask[i] = i < length + 2 ? 1 : 0; // the second row padded after two tokens
            }
            float[] a = fused.logits(2, length, ids, mask);
            float[] b = stored.logits(2, length, ids, mask);
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - b[i]) > 1e-3 * (1 + Math.abs(b[i]))) {
                    throw new AssertionError("run as " + fused.form() + " the model answers " + a[i] + " where the file as stored "
                            + "answers " + b[i] + " (logit " + i + "): the config does not describe the file but was taken");
                }
            }
        }
    }

    private static void copyModelInto(Path dir) {
        Path target = dir.resolve(OnnxTokenClassifier.FP32_FILE);
        if (Files.isRegularFile(target)) return;
        try {
            Files.copy(EXPORTED, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tiny BERT token classifier (2 layers, hidden 8, 2 heads, 16 positions) exported as xner exports. */
    private static Path export() {
        Path folder = Fuzzing.emptyFolder("onnx-export");
        BertConfig config = TinyModels.bert().toBuilder().initializerRange(0.5).build().withLabels(LabelSet.PANX.names());
        try (TokenClassifier model = TokenClassifier.initialise(config, 7)) {
            model.save(folder, null);
            OnnxExport.export(folder, folder, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder.resolve(OnnxTokenClassifier.FP32_FILE);
    }
}
