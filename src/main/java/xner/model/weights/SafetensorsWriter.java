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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import xner.io.JsonOutput;

/**
 * Writes float32 tensors as a safetensors file, one tensor in memory at a time: the header is known from the
 * names and shapes alone, so each tensor's values are produced only when its turn comes.
 */
public final class SafetensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 20;

    /** A tensor to write: its name, its shape and its float32 values in row-major order, produced on demand. */
    public record Tensor(String name, Shape shape, Supplier<float[]> values) {
        public Tensor {
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("bad tensor name " + name);
            }
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
                float[] values = t.values().get();
                if (values.length != t.shape().size()) {
                    throw new IllegalArgumentException("tensor " + t.name() + ": " + values.length
                            + " values for shape " + t.shape());
                }
                for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
                    int n = Math.min(CHUNK_FLOATS, values.length - from);
                    chunk.clear();
                    FloatBuffer floats = chunk.asFloatBuffer();
                    floats.put(values, from, n);
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
