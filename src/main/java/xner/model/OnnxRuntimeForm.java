package xner.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The form of an exported fp32 {@code model.onnx} that ONNX Runtime runs fastest: the same weights in its fused
 * {@value OnnxGraph#MICROSOFT} operators ({@link OnnxExport.Form#ONNX_RUNTIME}), built in memory when xner's runtime
 * loads the file. The file itself stays in standard operators, for transformers.js and every other loader.
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
 *   <li>What it does fuse stays fused here: the erf GELU chain (BiasGelu), the scaled q·kᵀ (FusedMatMul), and in
 *       {@code model_quantized.onnx} each integer product (DynamicQuantizeMatMul).</li>
 * </ul>
 * A file xner did not write, an int8 file, or one whose weights do not fit {@code config.json} runs as it is stored,
 * and {@link Built#reason} says why.
 */
final class OnnxRuntimeForm {
    private OnnxRuntimeForm() {}

    /**
     * What {@link #of} made.
     *
     * @param model  the fused graph, or null when the file runs as stored
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

    /** The fused form of {@code file}, an fp32 export of a model of {@code config}, or why it runs as stored. */
    static Built of(Path file, BertConfig config) {
        try {
            String producer = producer(file);
            if (!producer.equals("xner")) return Built.asStored("written by " + (producer.isEmpty() ? "an unnamed producer" : producer) + ", not xner");
            ModelProto portable = OnnxExport.read(file);
            if (OnnxQuantizer.isQuantized(portable)) return Built.asStored("int8 (ONNX Runtime fuses its integer products itself)");
            String body = metadata(portable, OnnxExport.BODY_KEY);
            if (!config.modelType().equals(body)) {
                return Built.asStored("its body is " + body + ", " + ModelDirectory.CONFIG + " says " + config.modelType());
            }
            if (metadata(portable, OnnxExport.FORM_KEY) != null) return Built.asStored("already in ONNX Runtime's form");
            return new Built(OnnxExport.graph(config, initializers(portable), OnnxExport.Form.ONNX_RUNTIME), null);
        } catch (Unavailable | IllegalArgumentException e) {
            return Built.asStored(e.getMessage());
        } catch (IOException | xner.XnerInputException e) {
            // unreadable or truncated: ONNX Runtime reads it next and says so in its own words
            return Built.asStored("not readable here: " + e.getMessage());
        }
    }

    /** The initializers of the portable graph as the builder's weights, shared with the parsed file (not copied). */
    private static OnnxExport.Source initializers(ModelProto model) {
        Map<String, TensorProto> byName = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) byName.put(t.getName(), t);
        return name -> {
            TensorProto t = byName.get(name);
            if (t == null) throw new Unavailable("no initializer " + name + " (not a graph xner exported?)");
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new Unavailable("initializer " + name + " is not float32 data in the file");
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            return new OnnxExport.Floats(t.getRawData(), dims); // Floats checks the byte count against the dimensions
        };
    }

    private static String metadata(ModelProto model, String key) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key)).map(StringStringEntryProto::getValue)
                .findFirst().orElse(null);
    }

    /**
     * The {@code producer_name} of an ONNX file, from its first fields: protobuf writers put field 2 before the graph
     * (field 7), so a foreign file is told apart without parsing its hundreds of megabytes; "" when there is none.
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
