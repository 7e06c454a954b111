package xner.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xner.model.TokenClassifier;

/**
 * Dynamic int8 quantization of an ONNX graph's weight matrices, as ONNX Runtime's {@code quantize_dynamic}
 * writes it (QOperator format): every {@code MatMul(x, W)} whose W is a float initializer becomes
 * <pre>
 *   x_q, x_scale, x_zero = DynamicQuantizeLinear(x)          // uint8, per tensor, computed at run time
 *   y = Cast(MatMulInteger(x_q, W_q, x_zero, W_zero), float) · (x_scale · W_scale)
 * </pre>
 * with W_q int8, symmetric (zero point 0, scale max|W|·2/255 as {@code quantize_dynamic}'s int8 weights),
 * per tensor or per output column. ONNX Runtime fuses the chain into {@code DynamicQuantizeMatMul}. The
 * embedding tables, LayerNorm and the classifier head ({@code classifier.*}) stay float32.
 */
public final class OnnxQuantizer {
    /** How many scales a weight matrix gets. */
    public enum Granularity { PER_TENSOR, PER_CHANNEL }

    private OnnxQuantizer() {}

    /** Whether a graph is already quantized (has integer matrix products). */
    public static boolean isQuantized(ModelProto model) {
        return model.getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOpType().equals("MatMulInteger") || n.getOpType().equals("DynamicQuantizeLinear")
                        || n.getOpType().equals("DynamicQuantizeMatMul"));
    }

    /** The quantized copy of {@code model}; the number of matrices quantized is in its metadata. */
    public static ModelProto quantize(ModelProto model, Granularity granularity) {
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) initializers.put(t.getName(), t);
        GraphProto.Builder out = graph.toBuilder().clearNode().clearInitializer();
        Map<String, List<String>> quantizedInputs = new HashMap<>(); // x → (x_q, x_scale, x_zero), shared by q, k, v
        Set<String> replaced = new HashSet<>();
        List<TensorProto> added = new ArrayList<>();
        int count = 0;
        for (NodeProto node : graph.getNodeList()) {
            TensorProto weight = node.getOpType().equals("MatMul") && node.getInputCount() == 2 ? initializers.get(node.getInput(1)) : null;
            if (weight == null || weight.getDataType() != TensorProto.DataType.FLOAT_VALUE || weight.getDimsCount() != 2
                    || weight.getName().startsWith(TokenClassifier.WEIGHT)) {
                out.addNode(node);
                continue;
            }
            String x = node.getInput(0);
            String base = node.getName().isEmpty() ? "matmul_" + count : node.getName();
            List<String> q = quantizedInputs.computeIfAbsent(x, name -> {
                String p = name + "_quantized";
                out.addNode(NodeProto.newBuilder().setOpType("DynamicQuantizeLinear").setName(p).addInput(name)
                        .addOutput(p).addOutput(p + "_scale").addOutput(p + "_zero_point"));
                return List.of(p, p + "_scale", p + "_zero_point");
            });
            Quantized w = quantize(weight, granularity);
            added.add(w.values());
            added.add(w.scale());
            added.add(w.zeroPoint());
            String integer = base + "_MatMulInteger";
            out.addNode(NodeProto.newBuilder().setOpType("MatMulInteger").setName(integer).addInput(q.get(0))
                    .addInput(w.values().getName()).addInput(q.get(2)).addInput(w.zeroPoint().getName()).addOutput(integer + "_out"));
            out.addNode(NodeProto.newBuilder().setOpType("Cast").setName(base + "_Cast").addInput(integer + "_out")
                    .addOutput(base + "_cast_out").addAttribute(AttributeProto.newBuilder().setName("to")
                            .setType(AttributeProto.AttributeType.INT).setI(TensorProto.DataType.FLOAT_VALUE)));
            out.addNode(NodeProto.newBuilder().setOpType("Mul").setName(base + "_scales").addInput(q.get(1))
                    .addInput(w.scale().getName()).addOutput(base + "_scales_out"));
            out.addNode(NodeProto.newBuilder().setOpType("Mul").setName(base + "_output").addInput(base + "_cast_out")
                    .addInput(base + "_scales_out").addOutput(node.getOutput(0)));
            replaced.add(weight.getName());
            count++;
        }
        Set<String> stillUsed = new HashSet<>();
        for (NodeProto n : out.getNodeList()) stillUsed.addAll(n.getInputList());
        for (TensorProto t : graph.getInitializerList()) {
            if (!replaced.contains(t.getName()) || stillUsed.contains(t.getName())) out.addInitializer(t);
        }
        out.addAllInitializer(added);
        ModelProto.Builder m = model.toBuilder().setGraph(out);
        m.addMetadataPropsBuilder().setKey("xner_quantization").setValue("dynamic int8 weights, " + granularity.name().toLowerCase()
                .replace('_', ' ') + ", uint8 activations; " + count + " MatMul");
        return m.build();
    }

    private record Quantized(TensorProto values, TensorProto scale, TensorProto zeroPoint) {}

    /** W (in, out) → int8 values, scales and zero points (0), per tensor or per output column. */
    private static Quantized quantize(TensorProto weight, Granularity granularity) {
        int in = Math.toIntExact(weight.getDims(0));
        int out = Math.toIntExact(weight.getDims(1));
        float[] w = new float[in * out];
        weight.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(w);
        int groups = granularity == Granularity.PER_CHANNEL ? out : 1;
        float[] scales = new float[groups];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                int g = groups == 1 ? 0 : o;
                scales[g] = Math.max(scales[g], Math.abs(w[i * out + o]));
            }
        }
        for (int g = 0; g < groups; g++) scales[g] = scales[g] == 0 ? 1f : scales[g] * 2f / 255f; // symmetric over [-128, 127]
        byte[] q = new byte[w.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                long v = Math.round(w[i * out + o] / scales[groups == 1 ? 0 : o]);
                q[i * out + o] = (byte) Math.max(-128, Math.min(127, v));
            }
        }
        String name = weight.getName();
        TensorProto.Builder values = TensorProto.newBuilder().setName(name + "_quantized").setDataType(TensorProto.DataType.INT8_VALUE)
                .addDims(in).addDims(out).setRawData(UnsafeByteOperations.unsafeWrap(q));
        ByteBuffer s = ByteBuffer.allocate(groups * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        s.asFloatBuffer().put(scales);
        TensorProto.Builder scale = TensorProto.newBuilder().setName(name + "_scale").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(UnsafeByteOperations.unsafeWrap(s.array()));
        TensorProto.Builder zero = TensorProto.newBuilder().setName(name + "_zero_point").setDataType(TensorProto.DataType.INT8_VALUE)
                .setRawData(UnsafeByteOperations.unsafeWrap(new byte[groups]));
        if (groups > 1) {
            scale.addDims(groups);
            zero.addDims(groups);
        }
        return new Quantized(values.build(), scale.build(), zero.build());
    }
}
