package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.testing.TinyModels;

class ModelDirectoryTest {
    @TempDir Path dir;

    @Test
    void writingReplacesAnExistingFolderAndLeavesNoTemporaries() throws IOException {
        Path target = dir.resolve("model");
        Files.createDirectories(target);
        Files.writeString(target.resolve("stale.txt"), "from an older save");
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.bert(), false, 1)) {
            model.save(target, null);
        }
        assertFalse(Files.exists(target.resolve("stale.txt")));
        assertTrue(Files.isRegularFile(target.resolve("config.json")));
        assertTrue(Files.isRegularFile(target.resolve("model.safetensors")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(1, siblings.count(), "temporary folders are gone");
        }
    }

    @Test
    void aFolderWithoutWeightsSaysWhatItLooksForAndWhatItHas() throws IOException {
        assertTrue(assertThrows(XnerInputException.class, () -> ModelDirectory.readConfig(dir.resolve("none")))
                .getMessage().contains("no such model directory"));
        TinyModels.bert().write(dir.resolve("config.json"));
        Files.writeString(dir.resolve("tf_model.h5"), "hdf5");
        var e = assertThrows(XnerInputException.class, () -> MaskedLanguageModel.load(dir));
        assertEquals(dir + ": no weights: expected model.safetensors, model.safetensors.index.json, pytorch_model.bin or "
                + "pytorch_model.bin.index.json (the folder has tf_model.h5: TensorFlow, Flax and ONNX weights are not read "
                + "for libtorch; --runtime onnx reads a folder's model.onnx)", e.getMessage());
        // a git-lfs pointer where the weights should be (a clone without git lfs): named, not read as a pickle
        Files.writeString(dir.resolve("pytorch_model.bin"), "version https://git-lfs.github.com/spec/v1\n");
        e = assertThrows(XnerInputException.class, () -> MaskedLanguageModel.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("pytorch_model.bin") + ": neither PyTorch's zip format"), e.getMessage());
    }

    @Test
    void anAbsentMbertJarSaysHowToFetchIt() {
        assumeTrue(System.getenv("XNER_MBERT_JAR") == null, "XNER_MBERT_JAR is set");
        String before = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", dir.toString());
        try {
            var e = assertThrows(XnerInputException.class, MultilingualBert::jar);
            assertTrue(e.getMessage().contains("mvn dependency:get -Dartifact=" + MultilingualBert.COORDINATES),
                    e.getMessage());
        } finally {
            if (before == null) System.clearProperty("maven.repo.local");
            else System.setProperty("maven.repo.local", before);
        }
    }
}
