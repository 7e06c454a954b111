package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.model.weights.SafetensorsReader;
import xner.model.weights.SafetensorsWriter;

class SafetensorsTest {
    @TempDir Path dir;

    private Path sample() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(
                new SafetensorsWriter.Tensor("bert.embeddings.word_embeddings.weight", new Shape(3, 2),
                        () -> new float[] {1, 2, 3, 4, 5, 6}),
                new SafetensorsWriter.Tensor("bert.embeddings.LayerNorm.bias", new Shape(2), () -> new float[] {-1, 0.25f})),
                Map.of("format", "pt"));
        return file;
    }

    @Test
    void writtenTensorsReadBackWithTheirNamesShapesAndMetadata() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(sample())) {
            assertEquals(List.of("bert.embeddings.word_embeddings.weight", "bert.embeddings.LayerNorm.bias"),
                    List.copyOf(r.names()));
            assertEquals(new Shape(3, 2), r.shape("bert.embeddings.word_embeddings.weight"));
            assertArrayEquals(new float[] {-1, 0.25f}, r.read("bert.embeddings.LayerNorm.bias"));
            assertEquals("pt", r.metadata().get("format"));
            assertEquals("F32", r.dtype("bert.embeddings.LayerNorm.bias"));
        }
        // the data start 8-aligned, as the reference writer lays them out
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("model.safetensors")), 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
    }

    /** Tensors larger than a chunk, from libtorch and from an array, cross the chunk boundaries whole and in order. */
    @Test
    void largeTensorsAreWrittenChunkByChunkAsTheyAre() throws IOException {
        int n = 7 * 85_715; // 600,005: over two chunks of 2^18 floats, ending inside a third
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = i * 0.5f - 7;
        Path file = dir.resolve("large.safetensors");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray array = m.create(values, new Shape(7, n / 7));
            SafetensorsWriter.write(file, List.of(Parameters.tensor("from.libtorch", array),
                    new SafetensorsWriter.Tensor("from.array", new Shape(n), () -> values)), Map.of());
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(new Shape(7, n / 7), r.shape("from.libtorch"));
            assertArrayEquals(values, r.read("from.libtorch"));
            assertArrayEquals(values, r.read("from.array"));
        }
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(dir.resolve("short.safetensors"),
                List.of(new SafetensorsWriter.Tensor("short", new Shape(n), (from, count) -> new float[count - 1])), Map.of()));
    }

    @Test
    void djlReadsOurFilesAndWeReadDjls() throws IOException {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList decoded = NDList.decode(m, Files.readAllBytes(sample()));
            NDArray words = decoded.get("bert.embeddings.word_embeddings.weight");
            assertEquals(new Shape(3, 2), words.getShape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, words.toFloatArray());

            NDArray a = m.create(new float[] {1.5f, -2, 3, 4}, new Shape(2, 2));
            a.setName("encoder.layer.0.output.dense.weight");
            NDArray b = m.create(new float[] {7});
            b.setName("cls.predictions.bias");
            Path djl = dir.resolve("djl.safetensors");
            try (OutputStream out = Files.newOutputStream(djl)) {
                new NDList(a, b).encode(out, NDList.Encoding.SAFETENSORS);
            }
            try (SafetensorsReader r = SafetensorsReader.open(djl)) {
                assertArrayEquals(new float[] {1.5f, -2, 3, 4}, r.read("encoder.layer.0.output.dense.weight"));
                assertEquals(new Shape(2, 2), r.shape("encoder.layer.0.output.dense.weight"));
                assertArrayEquals(new float[] {7}, r.read(m, "cls.predictions.bias").toFloatArray());
            }
        }
    }

    @Test
    void halfPrecisionTensorsReadAsFloat() throws IOException {
        // F16 1.0 = 0x3c00, -2.0 = 0xc000, 2^-24 (smallest subnormal) = 0x0001; BF16 1.0 = 0x3f80, -0.5 = 0xbf00
        Path file = raw("{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}",
                new short[] {0x3c00, (short) 0xc000, 0x0001, 0x3f80, (short) 0xbf00});
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1, -2, 0x1p-24f}, r.read("h"));
            assertArrayEquals(new float[] {1, -0.5f}, r.read("b"));
        }
    }

    @Test
    void malformedFilesAndMissingTensorsAreNamed() throws IOException {
        Path file = sample();
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            var e = assertThrows(XnerInputException.class, () -> r.read("bert.embeddings.word_embedding.weight"));
            assertTrue(e.getMessage().startsWith(file + ": no tensor \"bert.embeddings.word_embedding.weight\"; "
                    + "closest names present: [bert.embeddings.word_embeddings.weight"), e.getMessage());
            var shape = r.shapeMismatch("bert.embeddings.LayerNorm.bias", new Shape(768));
            assertTrue(shape.getMessage().contains("has shape (2), the model expects (768)"), shape.getMessage());
        }
        Path badSize = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new short[6]);
        var size = assertThrows(XnerInputException.class, () -> SafetensorsReader.open(badSize));
        assertTrue(size.getMessage().contains("has 8 bytes for F32 shape (3) (12 expected)"), size.getMessage());
        Path outside = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new short[2]);
        assertThrows(XnerInputException.class, () -> SafetensorsReader.open(outside));
        Path junk = Files.write(dir.resolve("junk"), "not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
        var header = assertThrows(XnerInputException.class, () -> SafetensorsReader.open(junk));
        assertTrue(header.getMessage().startsWith(junk + ": header length"), header.getMessage());
        // a header that is not JSON: one line, no advice to parse leniently, no link (issue 26)
        Path badJson = raw("{\"x\": {\"dtype\": F32}}  ", new short[0]);
        var json = assertThrows(XnerInputException.class, () -> SafetensorsReader.open(badJson));
        assertTrue(json.getMessage().startsWith(badJson + ": the header is not valid JSON: malformed at column"), json.getMessage());
        assertTrue(!json.getMessage().contains("\n") && !json.getMessage().contains("JsonReader")
                && !json.getMessage().contains("https:"), json.getMessage());
        Path array = raw("[1, 2]", new short[0]);
        assertEquals(array + ": the header is not a JSON object (found an array)",
                assertThrows(XnerInputException.class, () -> SafetensorsReader.open(array)).getMessage());
        var missing = assertThrows(XnerInputException.class, () -> SafetensorsReader.open(dir.resolve("none")));
        assertTrue(missing.getMessage().endsWith("none: no such file"));
    }

    /**
     * Dimensions and offsets are whole numbers >= 0 as the format writes them, and a shape's size fits a long (found
     * writing the reader's fuzz target): -4 escaped from DJL's Shape as an IllegalArgumentException, [2^62, 4] overflowed
     * to a tensor of 0 bytes and was accepted, 2.5 was read as 2.
     */
    @Test
    void dimensionsAreWholeNumbersWhoseProductFits() throws IOException {
        for (String shape : List.of("[-1,-4]", "[2.5,2]", "[1e3]", "[\"4\"]")) {
            Path file = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,16]}}", new short[8]);
            assertEquals(file + ": tensor \"x\": shape holds " + shape.substring(1, shape.indexOf(',') < 0 ? shape.length() - 1
                    : shape.indexOf(',')).replace("\"", "\"") + ", expected a whole number >= 0",
                    assertThrows(XnerInputException.class, () -> SafetensorsReader.open(file)).getMessage());
        }
        Path overflow = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}", new short[0]);
        assertEquals(overflow + ": tensor \"x\": its shape holds more values than any file can",
                assertThrows(XnerInputException.class, () -> SafetensorsReader.open(overflow)).getMessage());
        Path three = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", new short[4]);
        assertEquals(three + ": tensor \"x\": data_offsets [0,4,8], expected [begin, end]",
                assertThrows(XnerInputException.class, () -> SafetensorsReader.open(three)).getMessage());
    }

    private Path raw(String header, short[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 2 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (short s : data) b.putShort(s);
        return Files.write(dir.resolve("raw-" + System.nanoTime() + ".safetensors"), b.array());
    }
}
