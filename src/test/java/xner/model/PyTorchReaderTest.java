package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.model.weights.PyTorchReader;

/**
 * {@code pytorch_model.bin} files written by PyTorch 1.13 (src/test/resources/xner/model/hub, make_fixtures.py): the
 * zip format, the legacy format, and a file whose pickle calls {@code os.system}.
 */
class PyTorchReaderTest {
    @TempDir Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(PyTorchReaderTest.class.getResource("/xner/model/hub/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheZipFormatWithEveryTensorInFileOrder() {
        try (PyTorchReader weights = PyTorchReader.open(fixture("tiny-bert/pytorch_model.bin"))) {
            List<String> names = List.copyOf(weights.names());
            assertEquals("bert.embeddings.word_embeddings.weight", names.get(0));
            assertTrue(names.contains("bert.embeddings.position_ids"));
            assertEquals(new Shape(9, 8), weights.shape("classifier.weight"));
            assertEquals(new Shape(1, 16), weights.shape("bert.embeddings.position_ids"));
            assertEquals(9 * 8, weights.read("classifier.weight").length);
        }
    }

    @Test
    void theLegacyFormatHoldsTheSameTensors() {
        try (PyTorchReader zip = PyTorchReader.open(fixture("tiny-bert/pytorch_model.bin"));
             PyTorchReader legacy = PyTorchReader.open(fixture("tiny-bert-legacy.bin"))) {
            assertEquals(zip.names(), legacy.names());
            for (String name : zip.names()) {
                if (name.endsWith("position_ids")) continue; // int64, not read as floats
                assertEquals(zip.shape(name), legacy.shape(name), name);
                assertArrayEquals(zip.read(name), legacy.read(name), name);
            }
        }
    }

    @Test
    void aTransposedViewAHalfTensorAndASharedStorageReadAsPyTorchReadsThem() {
        // classifier.weight is a transposed view (strides (1, 9)), the token-type table float16, and two biases are
        // halves of one storage (the second at offset 8): PyTorch's values of each, read back, are in reference.json
        TorchReference reference = TorchReference.of("tiny-bert");
        try (PyTorchReader weights = PyTorchReader.open(fixture("tiny-bert/pytorch_model.bin"))) {
            assertEquals(3, reference.tensors().size());
            reference.tensors().forEach((name, values) -> assertArrayEquals(values, weights.read(name), name));
        }
    }

    @Test
    void integerTensorsAreListedButNotReadAsFloats() {
        try (PyTorchReader weights = PyTorchReader.open(fixture("tiny-bert/pytorch_model.bin"))) {
            XnerInputException e = assertThrows(XnerInputException.class, () -> weights.read("bert.embeddings.position_ids"));
            assertTrue(e.getMessage().endsWith("tensor \"bert.embeddings.position_ids\" is I64, not a float tensor"), e.getMessage());
        }
    }

    @Test
    void aPickleThatCallsOsSystemIsRefusedNamingTheGlobal() throws IOException {
        Path marker = Path.of("/tmp/xner-was-attacked");
        Files.deleteIfExists(marker);

        XnerInputException e = assertThrows(XnerInputException.class, () -> PyTorchReader.open(fixture("malicious.bin")));

        assertTrue(e.getMessage().startsWith(fixture("malicious.bin") + " (malicious/data.pkl): refuses the global posix.system"),
                e.getMessage());
        assertTrue(e.getMessage().contains("weights_only=True"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aTruncatedFileSaysSo() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("tiny-bert/pytorch_model.bin"));
        Path cut = dir.resolve("pytorch_model.bin");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));

        XnerInputException e = assertThrows(XnerInputException.class, () -> PyTorchReader.open(cut));

        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aFileOfAnotherKindIsNamed() throws IOException {
        Path text = dir.resolve("pytorch_model.bin");
        Files.writeString(text, "version https://git-lfs.github.com/spec/v1\n");

        XnerInputException e = assertThrows(XnerInputException.class, () -> PyTorchReader.open(text));

        assertTrue(e.getMessage().startsWith(text + ": neither PyTorch's zip format nor its legacy pickle"), e.getMessage());
    }
}
