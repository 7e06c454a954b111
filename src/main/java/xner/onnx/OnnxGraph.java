package xner.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A small builder of ONNX graphs over ONNX's own protobuf schema ({@code ai.onnx.proto.OnnxMl}): nodes of
 * standard operators (and of ONNX Runtime's {@value #MICROSOFT} domain, {@link #msOp}), initializers held as
 * little-endian raw data, inputs and outputs with named (dynamic) axes. Each method returns the name of the value
 * it makes, so a graph reads as the forward pass it mirrors.
 */
final class OnnxGraph {
    /** LayerNormalization is an ONNX operator from opset 17 on; ONNX Runtime and onnxruntime-web run it. */
    static final int OPSET = 17;
    /** The IR version of opset 17 (ONNX 1.12). */
    static final long IR_VERSION = 8;
    /** ONNX Runtime's contrib operators (Attention, SkipLayerNormalization, BiasGelu...), version 1 of the domain. */
    static final String MICROSOFT = "com.microsoft";


    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int counter;
    private boolean usesMicrosoft;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A graph input of element type {@code type}; a dimension is a number or the name of a dynamic axis. */
    void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** A float32 initializer of {@code shape}, named {@code name}. */
    String floats(String name, float[] values, long... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return raw(name, TensorProto.DataType.FLOAT, bytes.array(), shape);
    }

    /** A float32 scalar constant. */
    String scalar(float value) {
        return floats(fresh("const"), new float[] {value});
    }

    /** An int64 initializer; no shape makes a scalar. */
    String longs(long[] values, long... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return raw(fresh("const"), TensorProto.DataType.INT64, bytes.array(), shape);
    }

    /** An initializer of raw little-endian bytes (int8 and uint8 tensors are one byte an element). */
    String raw(String name, TensorProto.DataType type, byte[] data, long... shape) {
        return raw(name, type, UnsafeByteOperations.unsafeWrap(data), shape); // the array is not touched again: no copy of 700 MB
    }

    /** An initializer of raw little-endian bytes held as they are (another file's initializer: shared, not copied). */
    String raw(String name, TensorProto.DataType type, ByteString data, long... shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(data);
        for (long d : shape) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** An initializer as it is (its data inline, or a reference to a file's); returns its name. */
    String initializer(TensorProto tensor) {
        graph.addInitializer(tensor);
        return tensor.getName();
    }

    /** A node with one output; attributes as name, value pairs (long, float, long[] or String). */
    String op(String type, List<String> inputs, Object... attributes) {
        return op(type, inputs, 1, attributes).get(0);
    }

    /** A node of ONNX Runtime's {@value #MICROSOFT} domain with one output; the model then imports that domain. */
    String msOp(String type, List<String> inputs, Object... attributes) {
        usesMicrosoft = true;
        return node(MICROSOFT, type, inputs, 1, attributes).get(0);
    }

    /** As {@link #msOp} with {@code outputs} outputs. */
    List<String> msOps(String type, List<String> inputs, int outputs, Object... attributes) {
        usesMicrosoft = true;
        return node(MICROSOFT, type, inputs, outputs, attributes);
    }

    /** A node with {@code outputs} outputs. */
    List<String> op(String type, List<String> inputs, int outputs, Object... attributes) {
        return node("", type, inputs, outputs, attributes);
    }

    private List<String> node(String domain, String type, List<String> inputs, int outputs, Object... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(type).setName(fresh(type));
        if (!domain.isEmpty()) node.setDomain(domain);
        node.addAllInput(inputs);
        String base = node.getName();
        List<String> names = outputs == 1 ? List.of(base + "_out")
                : java.util.stream.IntStream.range(0, outputs).mapToObj(i -> base + "_out" + i).toList();
        node.addAllOutput(names);
        for (int i = 0; i < attributes.length; i += 2) node.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
        graph.addNode(node);
        return names;
    }

    /** A node whose single output takes a given name (a graph output). */
    void opNamed(String output, String type, List<String> inputs) {
        graph.addNode(NodeProto.newBuilder().setOpType(type).setName(fresh(type)).addAllInput(inputs).addOutput(output));
    }

    /**
     * The model: the graph, opset {@value #OPSET} of the default domain (and version 1 of {@value #MICROSOFT} when a node
     * is of it), and {@code metadata} as key, value pairs.
     */
    ModelProto model(String producer, String... metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName(producer)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph);
        if (usesMicrosoft) m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
        for (int i = 0; i < metadata.length; i += 2) {
            m.addMetadataPropsBuilder().setKey(metadata[i]).setValue(metadata[i + 1]);
        }
        return m.build();
    }

    private String fresh(String kind) {
        return kind + "_" + counter++;
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String axis) shape.addDimBuilder().setDimParam(axis);
            else shape.addDimBuilder().setDimValue(((Number) d).longValue());
        }
        TypeProto.Builder typeProto = TypeProto.newBuilder();
        typeProto.getTensorTypeBuilder().setElemType(type.getNumber()).setShape(shape);
        return ValueInfoProto.newBuilder().setName(name).setType(typeProto).build();
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) a.setType(AttributeProto.AttributeType.INT).setI(l);
        else if (value instanceof Integer i) a.setType(AttributeProto.AttributeType.INT).setI(i);
        else if (value instanceof Float f) a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        else if (value instanceof Double d) a.setType(AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
        else if (value instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) a.addInts(l);
        } else if (value instanceof String s) a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
        else throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
        return a.build();
    }
}
