package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

class TensorBundleReaderTest {
    @TempDir Path dir;

    private TensorBundleWriter sample() {
        TensorBundleWriter w = new TensorBundleWriter();
        for (int layer = 0; layer < 12; layer++) {
            String p = "module/bert/encoder/layer_" + layer + "/attention/self/query/";
            w.add(p + "kernel", new long[] {2, 3}, new float[] {layer, 1, 2, 3, 4, 5});
            w.add(p + "bias", new long[] {3}, new float[] {-layer, 0.5f, 1e-7f});
        }
        w.add("module/bert/embeddings/word_embeddings", new long[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        return w;
    }

    @Test
    void readsNamesShapesAndValuesAcrossBlocksAndRestarts() throws IOException {
        Path index = sample().write(dir, "variables");
        try (TensorBundleReader r = TensorBundleReader.open(index)) {
            assertEquals(25, r.names().size());
            assertEquals(new Shape(2, 3), r.shape("module/bert/encoder/layer_7/attention/self/query/kernel"));
            assertArrayEquals(new float[] {7, 1, 2, 3, 4, 5},
                    r.read("module/bert/encoder/layer_7/attention/self/query/kernel"));
            assertArrayEquals(new float[] {-11, 0.5f, 1e-7f}, r.read("module/bert/encoder/layer_11/attention/self/query/bias"));
            assertEquals("DT_FLOAT", r.dtype("module/bert/embeddings/word_embeddings"));
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                var words = r.read(m, "module/bert/embeddings/word_embeddings");
                assertEquals(new Shape(4, 2), words.getShape());
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, words.toFloatArray());
            }
        }
    }

    @Test
    void missingTensorNamesTheTensorTheFileAndCloseNames() throws IOException {
        Path index = sample().write(dir, "variables");
        try (TensorBundleReader r = TensorBundleReader.open(index)) {
            var e = assertThrows(XnerInputException.class,
                    () -> r.read("module/bert/encoder/layer_3/attention/self/querry/kernel"));
            assertTrue(e.getMessage().startsWith(index + ": no tensor \"module/bert/encoder/layer_3/attention/self/querry/kernel\""),
                    e.getMessage());
            assertTrue(e.getMessage().contains("module/bert/encoder/layer_3/attention/self/query/kernel"), e.getMessage());
        }
    }

    @Test
    void corruptDataFailsItsChecksum() throws IOException {
        Path index = sample().write(dir, "variables");
        try (RandomAccessFile data = new RandomAccessFile(dir.resolve("variables.data-00000-of-00001").toFile(), "rw")) {
            data.seek(4);
            data.write(0x7f);
        }
        try (TensorBundleReader r = TensorBundleReader.open(index)) {
            // names are sorted, so the word embeddings come first in the data file
            var e = assertThrows(XnerInputException.class, () -> r.read("module/bert/embeddings/word_embeddings"));
            assertTrue(e.getMessage().contains("CRC-32C"), e.getMessage());
        }
    }

    @Test
    void rejectsWhatIsNotAnUncompressedBundle() throws IOException {
        Path notIndex = Files.write(dir.resolve("other.index"), new byte[100]);
        var magic = assertThrows(XnerInputException.class, () -> TensorBundleReader.open(notIndex));
        assertTrue(magic.getMessage().contains("bad table magic"), magic.getMessage());

        TensorBundleWriter compressed = sample();
        compressed.compressionType = 1;
        Path snappy = compressed.write(dir, "snappy");
        var type = assertThrows(XnerInputException.class, () -> TensorBundleReader.open(snappy));
        assertTrue(type.getMessage().contains("compressed (type 1)"), type.getMessage());

        Path index = sample().write(dir, "variables");
        Files.delete(dir.resolve("variables.data-00000-of-00001"));
        var shard = assertThrows(XnerInputException.class, () -> TensorBundleReader.open(index));
        assertTrue(shard.getMessage().contains("data shard"), shard.getMessage());
    }

    @Test
    void readsTheRealMultilingualBertIndexWhenAvailable() throws IOException {
        // the index is the jar's last entry: reading it means streaming the whole 663 MB, so reuse a converted
        // model instead when one exists; this test checks only what the jar-free fixture cannot: real names
        Path jar = xner.TestData.mbertJar();
        List<String> expected = IntStream.range(0, 12)
                .mapToObj(i -> "bert.encoder.layer." + i + ".output.LayerNorm.weight").toList();
        try (SafetensorsReader w = SafetensorsReader.open(
                MultilingualBert.modelDir(MultilingualBert.cacheDir(), s -> { }).resolve("model.safetensors"))) {
            assertTrue(w.names().containsAll(expected), "converted from " + jar);
        }
    }
}
