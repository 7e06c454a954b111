package xner.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import xner.XnerInputException;
import xner.io.StrictText;

/**
 * A safetensors file (Hugging Face's {@code model.safetensors}): an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the tensors' bytes.
 *
 * <p>Float tensors are read as float32 whatever their stored precision (F32, F16, BF16, F64). The header is
 * checked against the file on opening: every range inside the data, every size matching its shape.
 */
public final class SafetensorsReader implements WeightReader {
    // the format caps the header at 100 MB so that a corrupt length cannot allocate gigabytes
    private static final long MAX_HEADER = 100L << 20;
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2), Map.entry("I8", 1), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    private record Entry(String dtype, Shape shape, long begin, long end) {}

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * Opens a safetensors file and checks its header.
     *
     * @throws XnerInputException when the file is missing or malformed
     */
    public static SafetensorsReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        try {
            long fileSize = channel.size();
            if (fileSize < 8) throw new XnerInputException(file + ": " + fileSize + " bytes, too short for safetensors");
            long headerLength = readFully(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > fileSize) {
                throw new XnerInputException(file + ": header length " + headerLength + " does not fit the file ("
                        + fileSize + " bytes); not a safetensors file?");
            }
            String json;
            try {
                json = StrictText.utf8(readFully(file, channel, 8, (int) headerLength).array());
            } catch (StrictText.NotText e) {
                throw new XnerInputException(file + ": the header is not UTF-8 text (at byte offset " + (8 + e.offset()) + ")");
            }
            long dataStart = 8 + headerLength;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            parseHeader(file, json, fileSize - dataStart, entries, metadata);
            return new SafetensorsReader(file, channel, dataStart, Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void parseHeader(Path file, String json, long dataLength, Map<String, Entry> entries,
            Map<String, String> metadata) {
        JsonObject header;
        try {
            // strict JSON, as safetensors writes it; a message of one line, without Gson's advice and link
            JsonElement parsed = xner.io.StrictJson.parse(json);
            if (!parsed.isJsonObject()) throw new IllegalStateException("found " + xner.io.StrictJson.kind(parsed));
            header = parsed.getAsJsonObject();
        } catch (XnerInputException e) {
            throw new XnerInputException(file + ": the header is not valid JSON: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new XnerInputException(file + ": the header is not a JSON object (" + e.getMessage() + ")");
        }
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue().isJsonObject()) {
                    e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(),
                            m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString()));
                }
                continue;
            }
            try {
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                Integer width = DTYPE_BYTES.get(dtype);
                if (width == null) throw new XnerInputException(file + ": tensor \"" + name + "\" has unknown dtype "
                        + dtype);
                JsonArray shapeJson = t.getAsJsonArray("shape");
                long[] dims = new long[shapeJson.size()];
                long elements = 1;
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = count(file, name, "shape", shapeJson.get(i));
                    elements = multiply(file, name, elements, dims[i]);
                }
                Shape shape = new Shape(dims);
                JsonArray offsets = t.getAsJsonArray("data_offsets");
                if (offsets.size() != 2) {
                    throw new XnerInputException(file + ": tensor \"" + name + "\": data_offsets " + offsets + ", expected [begin, end]");
                }
                long begin = count(file, name, "data_offsets", offsets.get(0));
                long end = count(file, name, "data_offsets", offsets.get(1));
                if (end < begin || end > dataLength) {
                    throw new XnerInputException(file + ": tensor \"" + name + "\" lies at bytes " + begin + ".." + end
                            + ", outside the data (" + dataLength + " bytes)");
                }
                long bytes = multiply(file, name, elements, width);
                if (end - begin != bytes) {
                    throw new XnerInputException(file + ": tensor \"" + name + "\" has " + (end - begin)
                            + " bytes for " + dtype + " shape " + shape + " (" + bytes + " expected)");
                }
                entries.put(name, new Entry(dtype, shape, begin, end));
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                    | IndexOutOfBoundsException | ClassCastException ex) {
                throw new XnerInputException(file + ": tensor \"" + name + "\": malformed header entry "
                        + e.getValue());
            }
        }
    }

    /**
     * A dimension or an offset: a whole number {@code >= 0} written as such (the format's unsigned integers), not
     * {@code -4} (DJL's Shape refused it with an IllegalArgumentException), {@code 2.5} (read as 2) or {@code 1e3}.
     * Found writing this reader's fuzz target (the fuzzer had not reached it in 216,000 runs).
     */
    private static long count(Path file, String name, String field, JsonElement value) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                && UNSIGNED.matcher(value.getAsJsonPrimitive().getAsString()).matches()) {
            try {
                return Long.parseLong(value.getAsString());
            } catch (NumberFormatException beyondLong) {
                // 19 digits past 2^63 - 1: refused as the others
            }
        }
        throw new XnerInputException(file + ": tensor \"" + name + "\": " + field + " holds " + value
                + ", expected a whole number >= 0");
    }

    private static final java.util.regex.Pattern UNSIGNED = java.util.regex.Pattern.compile("0|[1-9][0-9]{0,18}");

    /** {@code a · b}, or refused when it does not fit a long: [2^62, 4] overflowed to a tensor of 0 bytes, accepted. */
    private static long multiply(Path file, String name, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new XnerInputException(file + ": tensor \"" + name + "\": its shape holds more values than any file can");
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public Shape shape(String name) {
        return entry(name).shape();
    }

    /** The {@code __metadata__} strings of the header (e.g. {@code format: pt}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The stored dtype of a tensor ({@code F32}, {@code BF16}, …). */
    public String dtype(String name) {
        return entry(name).dtype();
    }

    @Override
    public float[] read(String name) {
        Entry e = entry(name);
        ByteBuffer bytes = bytes(name, e, false);
        int n = Math.toIntExact(e.shape().size());
        float[] out = new float[n];
        switch (e.dtype()) {
            case "F32" -> bytes.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < n; i++) out[i] = (float) bytes.getDouble();
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((bytes.getShort() & 0xffff) << 16);
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) out[i] = halfToFloat(bytes.getShort());
            }
            default -> throw new XnerInputException(file + ": tensor \"" + name + "\" is " + e.dtype()
                    + ", not a float tensor");
        }
        return out;
    }

    @Override
    public NDArray read(NDManager manager, String name) {
        Entry e = entry(name);
        if (!e.dtype().equals("F32")) return WeightReader.super.read(manager, name);
        // a direct buffer becomes the tensor's storage without another copy
        return manager.create(bytes(name, e, true), e.shape(), DataType.FLOAT32);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw missing(name);
        return e;
    }

    private ByteBuffer bytes(String name, Entry e, boolean direct) {
        int size = Math.toIntExact(e.end() - e.begin());
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        try {
            for (long at = dataStart + e.begin(); buffer.hasRemaining(); ) {
                int n = channel.read(buffer, at);
                if (n < 0) throw new XnerInputException(file + ": ends inside tensor \"" + name + "\"");
                at += n;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read tensor " + name + " from " + file, ex);
        }
        return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long at, int n) {
        ByteBuffer buffer = ByteBuffer.allocate(n);
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, at + buffer.position());
                if (read < 0) throw new XnerInputException(file + ": unexpected end of file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return buffer.flip();
    }

    /** IEEE 754 half precision to float: sign, 5-bit exponent, 10-bit fraction. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits >>> 15) << 31;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
        if (exponent == 0) {
            float magnitude = fraction * 0x1p-24f; // subnormal: fraction · 2^-24
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel: nothing to lose
        }
    }
}
