package xner.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.gson.JsonElement;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xner.XnerInputException;
import xner.io.StrictJson;
import xner.model.BertConfig;
import xner.model.ModelDirectory;

/**
 * The form of an exported {@code model.onnx} (or {@code model_quantized.onnx}) that ONNX Runtime runs fastest: the same
 * weights in its fused {@value OnnxGraph#MICROSOFT} operators ({@link OnnxExport.Form#ONNX_RUNTIME}), built when xner's
 * runtime loads the file and written to a temporary file for it ({@link #write}). The exported file stays in standard
 * operators, for transformers.js and every other loader.
 *
 * <p>Why ONNX Runtime does not fuse the portable graph itself (its optimizer's sources, {@code
 * onnxruntime/core/optimizer/}, and the node counts of the optimised model it saves; ONNX Runtime 1.29):
 * <ul>
 *   <li>{@code SkipLayerNormFusion} wants both inputs of the residual Add to have known sizes in dimensions 1 and 2
 *       (only dimension 0 may be a name such as {@code batch_size}): with a dynamic {@code sequence_length} it never
 *       fires, whatever the graph's operators.</li>
 *   <li>{@code AttentionFusion} follows its BERT pattern through Add and Reshape of opsets 7/13 (opset 17 has Add-14 and
 *       Reshape-14), a LayerNormalization of version 1 on the query path (the standard one is version 17) and a mask of
 *       two Unsqueeze with {@code axes} attributes (opset ≤ 11): no opset-17 graph matches, and an older opset would
 *       give up the standard LayerNormalization the portable file needs.</li>
 *   <li>What it does fuse, the erf GELU chain (BiasGelu), the scaled q·kᵀ (FusedMatMul) and each int8 product of
 *       {@code model_quantized.onnx} (DynamicQuantizeMatMul), the fused form has too, the second inside
 *       MultiHeadAttention.</li>
 * </ul>
 * An int8 file ({@code model_quantized.onnx}) gets the same form with its int8 products as DynamicQuantizeMatMul. A
 * file xner did not write, or one whose weights do not fit {@code config.json}, runs as it is stored, and {@link
 * Built#reason} says why.
 */
final class OnnxRuntimeForm {
    private OnnxRuntimeForm() {}

    /**
     * What {@link #of} made.
     *
     * @param model  the fused graph, its initializers references into the file they come from (ONNX external data),
     *               but for the q, k, v biases side by side; or null when the file runs as stored
     * @param reason why it runs as stored (null when fused)
     */
    record Built(ModelProto model, String reason) {
        static Built asStored(String reason) {
            return new Built(null, reason);
        }
    }

    /** Something in a file that the fused form cannot be built from; the file then runs as stored. */
    private static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The fused form of {@code file}, an export (fp32 or int8) of a model of {@code config}, or why it runs as stored.
     * Reads the file's structure, not its data: the weights stay in the file until {@link #write} copies them.
     */
    static Built of(Path file, BertConfig config) {
        try {
            String producer = producer(file);
            if (!producer.equals("xner")) return Built.asStored("written by " + (producer.isEmpty() ? "an unnamed producer" : producer) + ", not xner");
            Scan scan = scan(file);
            String body = metadata(scan.model(), OnnxExport.BODY_KEY);
            if (!config.modelType().equals(body)) {
                return Built.asStored("its body is " + body + ", " + ModelDirectory.CONFIG + " says " + config.modelType());
            }
            if (metadata(scan.model(), OnnxExport.FORM_KEY) != null) return Built.asStored("already in ONNX Runtime's form");
            if (metadata(scan.model(), OnnxExport.ARCHITECTURE_KEY) == null) {
                // the fused graph would take heads, activation and epsilon from config.json alone, unchecked
                return Built.asStored("exported before xner recorded the architecture in the file; export it again to run fused");
            }
            return new Built(OnnxExport.graph(config, scan.source(file), OnnxExport.Form.ONNX_RUNTIME), null);
        } catch (Unavailable | IllegalArgumentException e) {
            return Built.asStored(e.getMessage());
        } catch (IOException e) {
            // unreadable or truncated: ONNX Runtime reads it next and says so in its own words
            return Built.asStored("not readable here: " + e.getMessage());
        }
    }

    /**
     * Refuses a {@code config} that is not the model of {@code file}, an export that records the architecture it was built
     * for ({@link OnnxExport#ARCHITECTURE_KEY}): a value {@link OnnxExport#architecture} lists that differs is named, with
     * both values. A file without that record (another exporter's, or an earlier xner's) is not checked here: it runs as
     * stored, and the label count is checked on a probe as for any file.
     *
     * @throws XnerInputException naming the file, the key and both values
     */
    static void checkConfig(Path file, BertConfig config) {
        Map<String, String> recorded = recordedArchitecture(file);
        if (recorded == null) return;
        for (Map.Entry<String, String> e : OnnxExport.architecture(config).entrySet()) {
            String there = recorded.get(e.getKey());
            if (there != null && !there.equals(e.getValue())) {
                throw new XnerInputException(file + ": exported for " + e.getKey() + " " + there + ", but " + ModelDirectory.CONFIG
                        + " says " + e.getValue() + ": the ONNX file and " + ModelDirectory.CONFIG + " are of different models");
            }
        }
    }

    /** The architecture {@code file} records, or null when it records none or cannot be read (ONNX Runtime says why next). */
    private static Map<String, String> recordedArchitecture(Path file) {
        String json;
        try {
            json = modelMetadata(file).get(OnnxExport.ARCHITECTURE_KEY);
        } catch (IOException e) {
            return null;
        }
        if (json == null) return null;
        try {
            Map<String, String> values = new HashMap<>();
            for (Map.Entry<String, JsonElement> e : StrictJson.parseObject(json, file.toString()).entrySet()) {
                values.put(e.getKey(), e.getValue().getAsString());
            }
            return values;
        } catch (RuntimeException e) {
            return null; // not what xner writes: the file is treated as one without the record
        }
    }

    /**
     * The metadata of an ONNX file ({@code metadata_props}), read without its graph: the fields before and after it are
     * read, the graph (field 7, nearly all of the file) skipped.
     */
    private static Map<String, String> modelMetadata(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            Map<String, String> metadata = new HashMap<>();
            for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == ModelProto.METADATA_PROPS_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    StringStringEntryProto p = StringStringEntryProto.parseFrom(coded.readBytes());
                    metadata.put(p.getKey(), p.getValue());
                } else if (!coded.skipField(tag)) {
                    break;
                }
            }
            return metadata;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + ": not an ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code model} as one self-contained file {@code out}: each initializer that refers to {@code source}'s data
     * gets those bytes copied in (a file-to-file copy: they never enter the JVM's heap).
     */
    static void write(ModelProto model, Path source, Path out) throws IOException {
        GraphProto graph = model.getGraph();
        List<TensorProto> inline = new ArrayList<>();
        List<long[]> slices = new ArrayList<>(); // offset, length in source; null when the data is inline already
        long graphSize = graph.toBuilder().clearInitializer().build().getSerializedSize();
        for (TensorProto t : graph.getInitializerList()) {
            long[] slice = slice(t, source);
            TensorProto fields = slice == null ? t : t.toBuilder().clearExternalData().clearDataLocation().build();
            inline.add(fields);
            slices.add(slice);
            graphSize += field(GraphProto.INITIALIZER_FIELD_NUMBER, tensorSize(fields, slice));
        }
        try (FileChannel from = FileChannel.open(source, StandardOpenOption.READ);
                FileOutputStream file = new FileOutputStream(out.toFile());
                FileChannel to = file.getChannel()) {
            BufferedOutputStream buffered = new BufferedOutputStream(file, 1 << 16);
            CodedOutputStream coded = CodedOutputStream.newInstance(buffered);
            model.toBuilder().clearGraph().build().writeTo(coded); // protobuf fields may come in any order: the graph last
            coded.writeTag(ModelProto.GRAPH_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            coded.writeUInt64NoTag(graphSize);
            graph.toBuilder().clearInitializer().build().writeTo(coded);
            for (int i = 0; i < inline.size(); i++) {
                TensorProto fields = inline.get(i);
                long[] slice = slices.get(i);
                coded.writeTag(GraphProto.INITIALIZER_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                coded.writeUInt64NoTag(tensorSize(fields, slice));
                fields.writeTo(coded);
                if (slice == null) continue;
                coded.writeTag(TensorProto.RAW_DATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                coded.writeUInt64NoTag(slice[1]);
                coded.flush();
                buffered.flush();
                for (long done = 0; done < slice[1]; ) done += from.transferTo(slice[0] + done, slice[1] - done, to);
            }
            coded.flush();
            buffered.flush();
        }
    }

    /** The size of an initializer's message: its fields, and raw_data of {@code slice[1]} bytes when it has a slice. */
    private static long tensorSize(TensorProto fields, long[] slice) {
        return fields.getSerializedSize() + (slice == null ? 0 : field(TensorProto.RAW_DATA_FIELD_NUMBER, slice[1]));
    }

    /** The bytes a length-delimited field of {@code length} bytes takes: tag, length, content. */
    private static long field(int number, long length) {
        return CodedOutputStream.computeTagSize(number) + CodedOutputStream.computeUInt64SizeNoTag(length) + length;
    }

    /** The offset and length of an initializer's data in {@code source}, or null when its data is inline. */
    private static long[] slice(TensorProto t, Path source) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) return null;
        Map<String, String> entries = new HashMap<>();
        for (StringStringEntryProto e : t.getExternalDataList()) entries.put(e.getKey(), e.getValue());
        if (!source.getFileName().toString().equals(entries.get("location"))) {
            throw new IllegalArgumentException("initializer " + t.getName() + ": its data is in " + entries.get("location") + ", not in " + source);
        }
        return new long[] {Long.parseLong(entries.get("offset")), Long.parseLong(entries.get("length"))};
    }

    /** An initializer's fields but its data, and where the data lies in the file. */
    private record Slice(TensorProto fields, long offset, int length) {}

    /** An ONNX file's model without its initializers, and its initializers by name, their data left in the file. */
    private record Scan(ModelProto model, Map<String, Slice> initializers) {
        /** The initializers as the builder's weights: references into {@code file}, read only for the q, k, v biases. */
        OnnxExport.Source source(Path file) {
            return new OnnxExport.Source() {
                @Override
                public TensorProto tensor(String name) {
                    Slice s = slice(name);
                    return s.fields().toBuilder().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", file.getFileName().toString()))
                            .addExternalData(entry("offset", Long.toString(s.offset())))
                            .addExternalData(entry("length", Integer.toString(s.length()))).build();
                }

                @Override
                public boolean has(String name) {
                    return initializers.containsKey(name);
                }

                @Override
                public OnnxExport.Floats floats(String name) {
                    Slice s = slice(name);
                    if (s.fields().getDataType() != TensorProto.DataType.FLOAT_VALUE) throw new Unavailable("initializer " + name + " is not float32");
                    ByteBuffer bytes = ByteBuffer.allocate(s.length());
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        while (bytes.hasRemaining()) {
                            if (channel.read(bytes, s.offset() + bytes.position()) < 0) throw new Unavailable(file + ": ends inside " + name);
                        }
                    } catch (IOException e) {
                        throw new Unavailable(file + ": cannot read " + name + ": " + e.getMessage());
                    }
                    return new OnnxExport.Floats(UnsafeByteOperations.unsafeWrap(bytes.array()), dims(s.fields()));
                }

                private Slice slice(String name) {
                    Slice s = initializers.get(name);
                    if (s == null) throw new Unavailable("no initializer " + name + " (not a graph xner exported?)");
                    int size = switch (s.fields().getDataType()) {
                        case TensorProto.DataType.FLOAT_VALUE -> Float.BYTES;
                        case TensorProto.DataType.INT8_VALUE -> 1; // an int8 file's weights and zero points
                        default -> -1;
                    };
                    if (size < 0 || s.length() < 0) throw new Unavailable("initializer " + name + " is not float32 or int8 raw data in the file");
                    long elements = 1;
                    for (long d : dims(s.fields())) elements *= d;
                    if (elements * size != s.length()) {
                        throw new Unavailable("initializer " + name + ": " + s.length() + " bytes for dimensions " + s.fields().getDimsList());
                    }
                    return s;
                }
            };
        }
    }

    private static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /**
     * Reads an ONNX file's structure without its initializers' data: protobuf's own reader, told to skip each raw_data
     * field (a seek) after noting where it lies, so a 700 MB file costs kilobytes of heap.
     */
    static Scan scan(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            Map<String, Slice> initializers = new LinkedHashMap<>();
            ByteString.Output rest = ByteString.newOutput();
            CodedOutputStream restOut = CodedOutputStream.newInstance(rest);
            GraphProto graph = GraphProto.getDefaultInstance();
            for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == ModelProto.GRAPH_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = coded.pushLimit(coded.readRawVarint32());
                    graph = scanGraph(coded, initializers);
                    coded.popLimit(limit);
                } else {
                    coded.skipField(tag, restOut); // copies the field: all of it small
                }
            }
            restOut.flush();
            ModelProto model = ModelProto.parseFrom(rest.toByteString()).toBuilder().setGraph(graph).build();
            return new Scan(model, initializers);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + ": not an ONNX model (truncated?): " + e.getMessage(), e);
        }
    }

    private static GraphProto scanGraph(CodedInputStream coded, Map<String, Slice> initializers) throws IOException {
        ByteString.Output rest = ByteString.newOutput();
        CodedOutputStream restOut = CodedOutputStream.newInstance(rest);
        for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == GraphProto.INITIALIZER_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = coded.pushLimit(coded.readRawVarint32());
                Slice s = scanTensor(coded);
                initializers.put(s.fields().getName(), s);
                coded.popLimit(limit);
            } else {
                coded.skipField(tag, restOut);
            }
        }
        restOut.flush();
        return GraphProto.parseFrom(rest.toByteString());
    }

    private static Slice scanTensor(CodedInputStream coded) throws IOException {
        ByteString.Output rest = ByteString.newOutput();
        CodedOutputStream restOut = CodedOutputStream.newInstance(rest);
        long offset = -1;
        int length = -1;
        for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == TensorProto.RAW_DATA_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                length = coded.readRawVarint32();
                offset = coded.getTotalBytesRead();
                coded.skipRawBytes(length);
            } else {
                coded.skipField(tag, restOut);
            }
        }
        restOut.flush();
        return new Slice(TensorProto.parseFrom(rest.toByteString()), offset, length);
    }

    private static String metadata(ModelProto model, String key) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key)).map(StringStringEntryProto::getValue)
                .findFirst().orElse(null);
    }

    /**
     * The {@code producer_name} of an ONNX file, from its first fields: protobuf writers put field 2 before the graph
     * (field 7), so a foreign file is told apart without reading it through; "" when there is none.
     */
    static String producer(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            while (true) {
                int tag = coded.readTag();
                if (tag == 0) return "";
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == ModelProto.PRODUCER_NAME_FIELD_NUMBER && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    return coded.readStringRequireUtf8();
                }
                if (field == ModelProto.GRAPH_FIELD_NUMBER || !coded.skipField(tag)) return "";
            }
        }
    }
}
