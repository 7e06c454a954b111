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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.model.weights.TensorBundleReader;

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
        try (TensorBundleReader r = TensorBundleReader.open(index)) {
            assertEquals(new Shape(4, 2), r.shape("module/bert/embeddings/word_embeddings"), "the index alone has shapes");
            var shard = assertThrows(XnerInputException.class, () -> r.read("module/bert/embeddings/word_embeddings"));
            assertTrue(shard.getMessage().contains("data shard"), shard.getMessage());
        }
    }

    @Tag("slow")
    @Test
    void readsTheRealMultilingualBertIndex() throws IOException {
        Path index = mbertIndex();
        try (TensorBundleReader r = TensorBundleReader.open(index)) {
            assertEquals(new Shape(119547, 768), r.shape("module/bert/embeddings/word_embeddings"));
            assertEquals(new Shape(768, 3072), r.shape("module/bert/encoder/layer_11/intermediate/dense/kernel"));
            assertEquals(new Shape(119547), r.shape("module/cls/predictions/output_bias"));
            List<String> weights = r.names().stream()
                    .filter(n -> TensorflowBertConverter.huggingFaceName(n).isPresent()).toList();
            assertEquals(204, weights.size(), "5 embedding + 12 × 16 layer + 2 pooler + 5 head tensors");
            assertTrue(weights.stream().allMatch(n -> r.dtype(n).equals("DT_FLOAT")));
            // LayerNorm scales: embeddings, 2 per layer, the MLM transform
            assertEquals(1 + 2 * 12 + 1, weights.stream().filter(n -> n.endsWith("LayerNorm/gamma")).count());
        }
    }

    // the index is the last entry of the SavedModel zip inside the jar: stream to it once, keep it in target/
    private static synchronized Path mbertIndex() throws IOException {
        Path cached = Path.of("target", "test-cache", "mbert-index", "variables.index").toAbsolutePath();
        if (Files.isRegularFile(cached)) return cached;
        Path jar = xner.testing.TestData.mbertJar();
        Files.createDirectories(cached.getParent());
        try (var outer = new java.util.zip.ZipInputStream(new java.io.BufferedInputStream(Files.newInputStream(jar)))) {
            for (var e = outer.getNextEntry(); e != null; e = outer.getNextEntry()) {
                if (!e.getName().equals(MultilingualBert.SAVED_MODEL_ENTRY)) continue;
                var inner = new java.util.zip.ZipInputStream(outer);
                for (var f = inner.getNextEntry(); f != null; f = inner.getNextEntry()) {
                    if (!f.getName().equals("variables/variables.index")) continue;
                    Path tmp = Files.createTempFile(cached.getParent(), "index", ".tmp");
                    Files.copy(inner, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        throw new IllegalStateException("no variables/variables.index in " + jar);
    }
}
