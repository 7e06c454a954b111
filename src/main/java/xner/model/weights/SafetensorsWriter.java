package xner.model.weights;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import xner.io.JsonOutput;

/**
 * Writes float32 tensors as a safetensors file, a chunk of one tensor in memory at a time: the header is known from the
 * names and shapes alone, so each tensor's values are produced only when its turn comes, {@value #CHUNK_FLOATS}
 * floats at a time. Why chunks: a checkpoint of multilingual BERT writes 2.1 GB of weights and AdamW moments, and
 * each tensor copied whole into a Java array (the word embeddings alone are 367 MB) was garbage that grew the
 * JVM's heap by gigabytes over a run, resident beside libtorch's memory.
 */
public final class SafetensorsWriter {
    /** 1 MB: under half of G1's smallest region for an 8 GB heap, so no chunk is a "humongous" allocation. */
    static final int CHUNK_FLOATS = 1 << 18;

    /** Reads {@code count} values of a tensor from {@code from} on, in row-major order. */
    @FunctionalInterface
    public interface Values {
        float[] read(long from, int count);
    }

    /** A tensor to write: its name, its shape and its float32 values in row-major order, produced on demand. */
    public record Tensor(String name, Shape shape, Values values) {
        public Tensor {
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("bad tensor name " + name);
            }
        }

        /** A tensor whose values come as one array, asked for once when its turn comes (converters, tests). */
        public Tensor(String name, Shape shape, Supplier<float[]> all) {
            this(name, shape, new WholeArray(all));
        }
    }

    /** The array of a {@code Supplier}, asked for at the tensor's first chunk and kept until its last. */
    private static final class WholeArray implements Values {
        private final Supplier<float[]> all;
        private float[] values;

        WholeArray(Supplier<float[]> all) {
            this.all = all;
        }

        @Override
        public float[] read(long from, int count) {
            if (from == 0 || values == null) values = all.get();
            float[] part = Arrays.copyOfRange(values, (int) from, (int) from + count);
            if (from + count >= values.length) values = null;
            return part;
        }
    }

    private SafetensorsWriter() {}

    /** Writes the tensors, in the given order, with {@code metadata} as the header's {@code __metadata__}. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            if (!seen.add(t.name())) throw new IllegalArgumentException("tensor " + t.name() + " given twice");
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : t.shape().getShape()) shape.add(d);
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += t.shape().size() * Float.BYTES;
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(t.name(), entry);
        }
        byte[] json = JsonOutput.LINE.toJson(header).getBytes(StandardCharsets.UTF_8);
        // pad the header with spaces so that the data start at a multiple of 8, as the reference writer does
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, head);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                long size = t.shape().size();
                for (long from = 0; from < size; from += CHUNK_FLOATS) {
                    int n = (int) Math.min(CHUNK_FLOATS, size - from);
                    float[] values = t.values().read(from, n);
                    if (values.length != n) {
                        throw new IllegalArgumentException("tensor " + t.name() + ": " + values.length + " values at "
                                + from + " where " + n + " were due (shape " + t.shape() + ")");
                    }
                    chunk.clear();
                    FloatBuffer floats = chunk.asFloatBuffer();
                    floats.put(values, 0, n);
                    chunk.limit(n * Float.BYTES);
                    writeFully(out, chunk);
                }
            }
            out.force(true);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) out.write(buffer);
    }
}
