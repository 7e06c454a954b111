package xner.model;

import ai.djl.ndarray.types.Shape;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;
import xner.testing.Fuzzing;
import xner.model.weights.SafetensorsReader;

/**
 * A {@code model.safetensors} from outside (issue 26 §4): the 8-byte header length, the JSON header, the tensors'
 * bytes. The file opens, or is refused naming it; every tensor an opened file lists has a shape of non-negative
 * dimensions whose product fits a long (a tensor is made of that shape next) and reads as as many floats as its shape
 * holds, or is refused naming the file and the tensor.
 */
class SafetensorsReaderFuzzTest {
    private static final Set<String> FLOATS = Set.of("F32", "F16", "BF16", "F64");

    /**
     * Each input twice: as the file's bytes, and as a header of its own length: the bytes up to the first NUL are the
     * JSON header, those after it the data, and the 8-byte length before them is the header's. Most changes to a raw
     * file change the header's length and end at the length check; framed, the fuzzer works on the header itself.
     */
    @FuzzTest(maxDuration = "5m")
    // the header's words and the numbers at the edges of its checks, for mutations to insert
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"BF16\"", "\"F16\"",
        "\"F64\"", "\"I64\"", "\"BOOL\"", "-1", "-4", "2.5", "1e3", "4611686018427387904", "9223372036854775807", "[]", "[0]"})
    void opensOrRefusesNamingTheTensor(byte[] bytes) {
        opensOrRefuses(bytes);
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) nul++;
        ByteBuffer framed = ByteBuffer.allocate(8 + bytes.length - (nul < bytes.length ? 1 : 0)).order(ByteOrder.LITTLE_ENDIAN);
        framed.putLong(nul).put(bytes, 0, nul);
        if (nul < bytes.length) framed.put(bytes, nul + 1, bytes.length - nul - 1);
        opensOrRefuses(framed.array());
    }

    private static void opensOrRefuses(byte[] bytes) {
        Path file = Fuzzing.file(ModelDirectory.WEIGHTS, bytes);
        SafetensorsReader reader = Fuzzing.readOrNull(file, () -> SafetensorsReader.open(file));
        if (reader == null) return;
        try (reader) {
            reader.metadata().forEach((k, v) -> { if (k == null || v == null) throw new AssertionError("metadata " + k + "=" + v); });
            for (String name : reader.names()) {
                Shape shape = reader.shape(name);
                long elements = 1;
                for (long d : shape.getShape()) {
                    if (d < 0) throw new AssertionError("tensor \"" + name + "\" accepted with shape " + shape);
                    elements = Math.multiplyExact(elements, d); // an overflow is a finding: a shape no file can hold
                }
                Fuzzing.readsOrRefuses(file, () -> {
                    float[] values = reader.read(name);
                    if (!FLOATS.contains(reader.dtype(name)) || values.length != shape.size()) {
                        throw new AssertionError("tensor \"" + name + "\" (" + reader.dtype(name) + " " + shape + ") read as "
                                + values.length + " floats");
                    }
                });
            }
        }
    }
}
