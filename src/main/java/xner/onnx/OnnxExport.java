package xner.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xner.XnerInputException;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.model.BertConfig;
import xner.model.Encoder;
import xner.model.HiddenActivation;
import xner.model.ModelDirectory;
import xner.model.Parameters;
import xner.model.TokenClassifier;

/**
 * A {@link TokenClassifier} as an ONNX graph of standard operators (opset {@value OnnxGraph#OPSET}), in the
 * contract Hugging Face Optimum's token-classification export has: inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (int64, axes {@code batch_size} × {@code sequence_length}),
 * output {@code logits} (float32, batch × sequence × labels).
 *
 * <p>The graph computes what {@link Encoder} computes, op for op: embeddings (word + token type + position)
 * → LayerNorm; per layer self-attention softmax(q·kᵀ/√d + (1 − mask)·−10000)·v → dense → LayerNorm(x +
 * residual) → dense → activation → dense → LayerNorm(x + residual); then the head. LayerNorm is ONNX's
 * LayerNormalization, GELU the erf form x·0.5·(1 + erf(x/√2)), which ONNX Runtime's optimizer fuses into (Bias)Gelu;
 * its Attention and SkipLayerNormalization fusions do not match a graph of dynamic sequence length at opset 17, so
 * xner's own runtime runs {@link Form#ONNX_RUNTIME} instead ({@link OnnxRuntimeForm}). Weight matrices are stored
 * transposed, (in, out), for MatMul, as PyTorch's exporter stores them.
 */
public final class OnnxExport {
    /** Metadata key naming the body, so that messages can say what a file holds. */
    static final String BODY_KEY = "xner_body";
    /**
     * Metadata key of the architecture the graph was built for ({@link #architecture}, a JSON object): the file's own
     * record of what its {@code config.json} must say, checked when it loads ({@link OnnxRuntimeForm#checkConfig}).
     */
    static final String ARCHITECTURE_KEY = "xner_architecture";

    private OnnxExport() {}

    /**
     * What {@link #export} wrote.
     *
     * @param file      the ONNX file
     * @param from      what it was made from: {@code model.safetensors} or {@code model.onnx}
     * @param bytes     the ONNX file's size
     */
    public record Written(Path file, String from, long bytes) {}

    /**
     * Exports the token classifier of {@code modelDir} into {@code outputDir} in Optimum's layout: {@value
     * OnnxTokenClassifier#FP32_FILE} (or {@value OnnxTokenClassifier#INT8_FILE} when {@code quantize} is not
     * null) beside {@code config.json} and the tokenizer files. The weights are read from {@code model.safetensors};
     * a folder with only {@code model.onnx} can still be quantized. Every file is written under a temporary name and
     * renamed when complete; {@code outputDir} may be {@code modelDir}.
     */
    public static Written export(Path modelDir, Path outputDir, OnnxQuantizer.Granularity quantize) throws IOException {
        if (!Files.isDirectory(modelDir)) throw new XnerInputException(modelDir + ": no such model directory");
        Path safetensors = modelDir.resolve(ModelDirectory.WEIGHTS);
        Path fp32 = modelDir.resolve(OnnxTokenClassifier.FP32_FILE);
        ModelProto graph;
        String from;
        String weights = ModelDirectory.WEIGHT_FILES.stream().filter(f -> Files.isRegularFile(modelDir.resolve(f)))
                .findFirst().orElse(null);
        if (weights != null) {
            BertConfig config = ModelDirectory.readConfig(modelDir);
            if (config.isDistilBert()) {
                throw new XnerInputException(modelDir.resolve(ModelDirectory.CONFIG) + ": model_type distilbert: export "
                        + "writes BERT and RoBERTa-family graphs only (DistilBERT's is not written yet); tag it with libtorch");
            }
            try (TokenClassifier model = TokenClassifier.load(modelDir)) {
                graph = graph(model);
            }
            from = weights;
        } else if (quantize != null && Files.isRegularFile(fp32)) {
            ModelDirectory.readConfig(modelDir); // the labels must be there, as for loading
            graph = read(fp32);
            from = OnnxTokenClassifier.FP32_FILE;
        } else if (Files.isRegularFile(modelDir.resolve(OnnxTokenClassifier.INT8_FILE)) && !Files.isRegularFile(fp32)) {
            throw new XnerInputException(modelDir + ": holds only " + OnnxTokenClassifier.INT8_FILE + ", which is already "
                    + "quantized; export from the fine-tuned model folder (with " + ModelDirectory.WEIGHTS + ") instead");
        } else {
            throw new XnerInputException(safetensors + ": no such file (export reads a fine-tuned model folder: config.json, "
                    + ModelDirectory.WEIGHTS + ", tokenizer files" + (quantize == null ? "" : "; or model.onnx to quantize") + ")");
        }
        if (quantize != null) {
            if (OnnxQuantizer.isQuantized(graph)) {
                throw new XnerInputException(modelDir.resolve(from) + ": is already quantized (it has integer matrix products); "
                        + "--quantize needs the float model: export without --quantize first");
            }
            graph = OnnxQuantizer.quantize(graph, quantize);
        }
        Files.createDirectories(outputDir);
        if (!Files.isSameFile(modelDir, outputDir)) {
            publish(outputDir, ModelDirectory.CONFIG, tmp -> Files.copy(modelDir.resolve(ModelDirectory.CONFIG), tmp,
                    StandardCopyOption.REPLACE_EXISTING));
            for (String name : ModelDirectory.TOKENIZER_FILES) {
                Path source = modelDir.resolve(name);
                if (Files.isRegularFile(source)) publish(outputDir, name, tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
            }
        }
        writeTokenizerJson(modelDir, outputDir);
        String name = quantize == null ? OnnxTokenClassifier.FP32_FILE : OnnxTokenClassifier.INT8_FILE;
        ModelProto finished = graph;
        Path file = publish(outputDir, name, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                finished.writeTo(out);
            }
        });
        return new Written(file, from, Files.size(file));
    }

    /**
     * Optimum's folders always hold {@code tokenizer.json}, the one file tokenizers outside Python read
     * (transformers.js, tokenizers' bindings); a model folder with only {@code vocab.txt} (mBERT as converted) gets
     * it written from the tokenizer xner loads, the same tokenizer.
     */
    private static void writeTokenizerJson(Path modelDir, Path outputDir) throws IOException {
        if (Files.isRegularFile(outputDir.resolve("tokenizer.json"))) return;
        boolean hasTokenizer = ModelDirectory.TOKENIZER_FILES.stream().anyMatch(f -> Files.isRegularFile(modelDir.resolve(f)));
        if (!hasTokenizer) return; // a model of ids alone (tests); nothing to convert
        Path scratch = ModelDirectory.temporarySibling(outputDir.resolve("tokenizer"), "tmp");
        try (xner.tokenize.Tokenizer tokenizer = xner.tokenize.Tokenizers.load(modelDir)) {
            tokenizer.save(scratch);
            for (String file : List.of("tokenizer.json", "special_tokens_map.json")) {
                Path made = scratch.resolve(file);
                if (Files.isRegularFile(made) && !Files.exists(outputDir.resolve(file))) {
                    publish(outputDir, file, tmp -> Files.copy(made, tmp, StandardCopyOption.REPLACE_EXISTING));
                }
            }
        } finally {
            ModelDirectory.deleteRecursively(scratch);
        }
    }

    /** Reads an ONNX file (up to protobuf's 2 GB). */
    static ModelProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            return ModelProto.parseFrom(coded);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new XnerInputException(file + ": not an ONNX model (truncated?): " + e.getMessage());
        }
    }

    private interface Writing {
        void to(Path tmp) throws IOException;
    }

    /** Writes {@code dir/name} as {@code dir/.name.partial}, flushed to disk and renamed into place. */
    private static Path publish(Path dir, String name, Writing writing) throws IOException {
        Path tmp = dir.resolve("." + name + ".partial");
        Path target = dir.resolve(name);
        try {
            writing.to(tmp);
            Durable.publish(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Which operators a graph is written in. */
    enum Form {
        /** ONNX's standard operators (opset {@value OnnxGraph#OPSET}): {@code model.onnx}, the file others load. */
        PORTABLE,
        /**
         * ONNX Runtime's fused {@value OnnxGraph#MICROSOFT} operators: EmbedLayerNormalization (BERT), MultiHeadAttention
         * (the attention after the q, k, v products, their biases and the mask as int32 included), SkipLayerNormalization
         * (dense bias + residual + LayerNorm in one pass), BiasGelu or FastGelu; of an int8 file, DynamicQuantizeMatMul for
         * each int8 product. Its own
         * optimizer fuses none of the first two from the portable graph (see {@link OnnxRuntimeForm}); xner's runtime builds
         * this form from {@code model.onnx}'s weights when it loads it, and never writes it where others would load it.
         */
        ONNX_RUNTIME
    }

    /** The fp32 graph of {@code model}, in standard operators. */
    public static ModelProto graph(TokenClassifier model) {
        return graph(model.config(), Source.of(model.parameters()), Form.PORTABLE);
    }

    /** The fp32 graph of a model of config {@code c} whose weights {@code source} gives, in {@code form}. */
    static ModelProto graph(BertConfig c, Source source, Form form) {
        String prefix = Encoder.prefix(c);
        OnnxGraph g = new OnnxGraph(c.isRoberta() ? "XLMRobertaForTokenClassification" : "BertForTokenClassification");
        g.input("input_ids", TensorProto.DataType.INT64, "batch_size", "sequence_length");
        g.input("attention_mask", TensorProto.DataType.INT64, "batch_size", "sequence_length");
        g.input("token_type_ids", TensorProto.DataType.INT64, "batch_size", "sequence_length");
        Weights w = new Weights(g, source);

        // Embeddings: word + token type + position rows, as Embeddings.forward adds them, then LayerNorm
        String e = prefix + ".embeddings.";
        String x;
        if (form == Form.ONNX_RUNTIME && !c.isRoberta()) {
            // EmbedLayerNormalization: the three rows and the norm in one pass; its positions are BERT's 0..seq-1
            // (XLM-R's, counted after the padding id, take the standard path); ids as int32, its input type
            String ids = g.op("Cast", List.of("input_ids"), "to", (long) TensorProto.DataType.INT32.getNumber());
            String types = g.op("Cast", List.of("token_type_ids"), "to", (long) TensorProto.DataType.INT32.getNumber());
            x = g.msOps("EmbedLayerNormalization", List.of(ids, types, w.add(e + "word_embeddings.weight"),
                    w.add(e + "position_embeddings.weight"), w.add(e + "token_type_embeddings.weight"), w.add(e + "LayerNorm.weight"),
                    w.add(e + "LayerNorm.bias")), 2, "epsilon", (float) c.layerNormEps()).get(0); // output 1, a mask index: unused
        } else {
            String words = g.op("Gather", List.of(w.add(e + "word_embeddings.weight"), "input_ids"));
            String types = g.op("Gather", List.of(w.add(e + "token_type_embeddings.weight"), "token_type_ids"));
            String positions = g.op("Gather", List.of(w.add(e + "position_embeddings.weight"), positionIds(g, c)));
            x = g.op("Add", List.of(g.op("Add", List.of(words, types)), positions));
            x = layerNorm(g, w, x, e + "LayerNorm", c.layerNormEps());
        }

        if (form == Form.PORTABLE) {
            // (1 - mask) · -10000 as (batch, 1, 1, seq), added to every head's scores (Encoder.MASKED_BIAS)
            String mask = g.op("Cast", List.of("attention_mask"), "to", (long) TensorProto.DataType.FLOAT.getNumber());
            String bias = g.op("Mul", List.of(g.op("Sub", List.of(g.scalar(1f), mask)), g.scalar(Encoder.MASKED_BIAS)));
            bias = g.op("Unsqueeze", List.of(bias, g.longs(new long[] {1, 2}, 2)));
            for (int i = 0; i < c.numHiddenLayers(); i++) x = layer(g, w, c, x, bias, prefix + ".encoder.layer." + i + ".");
        } else {
            // MultiHeadAttention takes the mask itself, (batch, seq) int32, and adds mask_filter_value where it is 0
            String mask = g.op("Cast", List.of("attention_mask"), "to", (long) TensorProto.DataType.INT32.getNumber());
            for (int i = 0; i < c.numHiddenLayers(); i++) x = fusedLayer(g, w, c, x, mask, prefix + ".encoder.layer." + i + ".");
        }

        String classifier = TokenClassifier.WEIGHT.replace(".weight", "");
        String logits = w.linear(x, classifier);
        g.opNamed("logits", "Identity", List.of(logits));
        long labels = w.dims(classifier + ".weight.T")[1]; // the head's, which check() compares with config.json's
        g.output("logits", TensorProto.DataType.FLOAT, "batch_size", "sequence_length", labels);
        String architecture = JsonOutput.LINE.toJson(architecture(c));
        return form == Form.PORTABLE ? g.model("xner", BODY_KEY, c.modelType(), ARCHITECTURE_KEY, architecture)
                : g.model("xner", BODY_KEY, c.modelType(), ARCHITECTURE_KEY, architecture, FORM_KEY, "onnx_runtime");
    }

    /**
     * The {@code config.json} values a graph is built from, as {@code config.json} names them: those its weights do not
     * show (heads, activation, LayerNorm's epsilon as the float the graph holds, XLM-R's padding id, which numbers its
     * positions) and those that bound what it takes (vocabulary, positions, token types) or its size (layers, widths).
     * A {@code config.json} that says otherwise is another model's: fused from it, the file would compute something else,
     * and windowed by it, a text could run past the file's position table. The activation is its function
     * ({@code gelu_new} and {@code gelu_pytorch_tanh} are one).
     */
    static Map<String, String> architecture(BertConfig c) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("model_type", c.modelType());
        a.put("vocab_size", Integer.toString(c.vocabSize()));
        a.put("hidden_size", Integer.toString(c.hiddenSize()));
        a.put("num_hidden_layers", Integer.toString(c.numHiddenLayers()));
        a.put("num_attention_heads", Integer.toString(c.numAttentionHeads()));
        a.put("intermediate_size", Integer.toString(c.intermediateSize()));
        a.put("hidden_act", c.activation().name().toLowerCase(Locale.ROOT));
        a.put("max_position_embeddings", Integer.toString(c.maxPositionEmbeddings()));
        a.put("type_vocab_size", Integer.toString(c.typeVocabSize()));
        a.put("layer_norm_eps", Float.toString((float) c.layerNormEps()));
        a.put("pad_token_id", Integer.toString(c.padTokenId()));
        return a;
    }

    /** Metadata key of a graph in {@link Form#ONNX_RUNTIME}: never in a file {@code xner export} writes. */
    static final String FORM_KEY = "xner_form";

    /**
     * The position-table row of each token: BERT's 0..seq-1; XLM-R's pad + cumsum(ids ≠ pad) at tokens and pad at
     * padding ({@link XlmRobertaEncoder}).
     */
    private static String positionIds(OnnxGraph g, BertConfig c) {
        if (!c.isRoberta()) {
            String length = g.op("Gather", List.of(g.op("Shape", List.of("input_ids")), g.longs(new long[] {1})), "axis", 0L);
            return g.op("Range", List.of(g.longs(new long[] {0}), length, g.longs(new long[] {1}))); // (seq), broadcast over the batch
        }
        String pad = g.longs(new long[] {c.padTokenId()});
        String notPadding = g.op("Cast", List.of(g.op("Not", List.of(g.op("Equal", List.of("input_ids", pad))))),
                "to", (long) TensorProto.DataType.INT64.getNumber());
        String counted = g.op("CumSum", List.of(notPadding, g.longs(new long[] {1})));
        return g.op("Add", List.of(g.op("Mul", List.of(counted, notPadding)), pad));
    }

    /** BertLayer: attention → BertSelfOutput → BertIntermediate → BertOutput. */
    private static String layer(OnnxGraph g, Weights w, BertConfig c, String x, String bias, String l) {
        long heads = c.numAttentionHeads();
        long d = c.headSize();
        String headShape = g.longs(new long[] {0, 0, heads, d}, 4);  // Reshape: 0 keeps batch and seq
        String q = g.op("Transpose", List.of(g.op("Reshape", List.of(w.linear(x, l + "attention.self.query"), headShape))),
                "perm", new long[] {0, 2, 1, 3});                          // (batch, heads, seq, d)
        String kT = g.op("Transpose", List.of(g.op("Reshape", List.of(w.linear(x, l + "attention.self.key"), headShape))),
                "perm", new long[] {0, 2, 3, 1});                          // (batch, heads, d, seq)
        String v = g.op("Transpose", List.of(g.op("Reshape", List.of(w.linear(x, l + "attention.self.value"), headShape))),
                "perm", new long[] {0, 2, 1, 3});
        String scores = g.op("Div", List.of(g.op("MatMul", List.of(q, kT)), g.scalar((float) Math.sqrt(c.headSize()))));
        String probabilities = g.op("Softmax", List.of(g.op("Add", List.of(scores, bias))), "axis", -1L);
        String context = g.op("Transpose", List.of(g.op("MatMul", List.of(probabilities, v))), "perm", new long[] {0, 2, 1, 3});
        context = g.op("Reshape", List.of(context, g.longs(new long[] {0, 0, c.hiddenSize()}, 3))); // (batch, seq, hidden)

        String attention = layerNorm(g, w, g.op("Add", List.of(w.linear(context, l + "attention.output.dense"), x)),
                l + "attention.output.LayerNorm", c.layerNormEps());
        String intermediate = activation(g, c.activation(), w.linear(attention, l + "intermediate.dense"));
        return layerNorm(g, w, g.op("Add", List.of(w.linear(intermediate, l + "output.dense"), attention)),
                l + "output.LayerNorm", c.layerNormEps());
    }

    /** BertLayer in ONNX Runtime's fused operators: the same products and sums as {@link #layer}, in fewer passes. */
    private static String fusedLayer(OnnxGraph g, Weights w, BertConfig c, String x, String mask, String l) {
        // BertSelfAttention: q, k, v products (MatMul, or DynamicQuantizeMatMul of an int8 file), then MultiHeadAttention
        // adds [bq bk bv] and takes per head softmax(q·kᵀ/√d + (1 − mask)·−10000)·v. Not Attention, which takes the input
        // itself: it wants float weights merged into one (hidden, 3·hidden) matrix (new data) and splits that product into
        // a small one per head and row; it showed no gain here, and MultiHeadAttention needs no new data (docs/results/onnx.md)
        String self = l + "attention.self.";
        String context = g.msOp("MultiHeadAttention", List.of(w.product(x, self + "query"), w.product(x, self + "key"),
                w.product(x, self + "value"), w.qkvBias(l), mask), "num_heads", (long) c.numAttentionHeads(),
                "mask_filter_value", Encoder.MASKED_BIAS);
        // BertSelfOutput: LayerNorm(context·W + b + x), the bias, residual and norm in one kernel
        String attention = skipLayerNorm(g, w, w.product(context, l + "attention.output.dense"), x,
                l + "attention.output", c.layerNormEps());
        String intermediate = fusedActivation(g, w, c.activation(), w.product(attention, l + "intermediate.dense"),
                l + "intermediate.dense.bias");
        return skipLayerNorm(g, w, w.product(intermediate, l + "output.dense"), attention, l + "output", c.layerNormEps());
    }

    /** LayerNorm(product + module.dense.bias + residual) with module.LayerNorm's weights: SkipLayerNormalization. */
    private static String skipLayerNorm(OnnxGraph g, Weights w, String product, String residual, String module, double eps) {
        return g.msOp("SkipLayerNormalization", List.of(product, residual, w.add(module + ".LayerNorm.weight"),
                w.add(module + ".LayerNorm.bias"), w.add(module + ".dense.bias")), "epsilon", (float) eps);
    }

    /** activation(x + bias): BiasGelu (erf GELU), FastGelu (tanh GELU, its bias input) or Relu after Add. */
    private static String fusedActivation(OnnxGraph g, Weights w, HiddenActivation a, String x, String bias) {
        return switch (a) {
            case GELU -> g.msOp("BiasGelu", List.of(x, w.add(bias)));
            case GELU_TANH -> g.msOp("FastGelu", List.of(x, w.add(bias)));
            case RELU -> g.op("Relu", List.of(g.op("Add", List.of(x, w.add(bias)))));
        };
    }

    private static String activation(OnnxGraph g, HiddenActivation a, String x) {
        return switch (a) {
            // x · 0.5 · (1 + erf(x / √2)): the chain ONNX Runtime fuses into Gelu
            case GELU -> g.op("Mul", List.of(g.op("Mul", List.of(x, g.op("Add", List.of(g.op("Erf",
                    List.of(g.op("Div", List.of(x, g.scalar((float) Math.sqrt(2)))))), g.scalar(1f))))), g.scalar(0.5f)));
            // 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))), x³ as x·x·x like Functional.geluTanh
            case GELU_TANH -> {
                String cube = g.op("Mul", List.of(g.op("Mul", List.of(x, x)), x));
                String inner = g.op("Mul", List.of(g.op("Add", List.of(g.op("Mul", List.of(cube, g.scalar(0.044715f))), x)),
                        g.scalar((float) Math.sqrt(2 / Math.PI))));
                yield g.op("Mul", List.of(g.op("Mul", List.of(x, g.scalar(0.5f))), g.op("Add", List.of(g.op("Tanh", List.of(inner)),
                        g.scalar(1f)))));
            }
            case RELU -> g.op("Relu", List.of(x));
        };
    }

    private static String layerNorm(OnnxGraph g, Weights w, String x, String module, double eps) {
        return g.op("LayerNormalization", List.of(x, w.add(module + ".weight"), w.add(module + ".bias")),
                "axis", -1L, "epsilon", (float) eps);
    }

    /** A float32 tensor as an ONNX initializer holds it: little-endian bytes and dimensions. */
    record Floats(ByteString data, long[] dims) {
        Floats {
            long elements = 1;
            for (long d : dims) elements *= d;
            if (data.size() != elements * Float.BYTES) {
                throw new IllegalArgumentException(data.size() + " bytes for dimensions " + java.util.Arrays.toString(dims));
            }
        }
    }

    /**
     * A graph's weights by initializer name: the checkpoint's names, nn.Linear weights transposed to (in, out) and named
     * {@code MODULE.weight.T}, as the portable graph's initializers are named.
     */
    interface Source {
        /** The initializer {@code name} as a graph holds it: float32, its dimensions, its data inline or in a file. */
        TensorProto tensor(String name);

        /** Its values, for the q, k, v biases side by side (new data). */
        Floats floats(String name);

        /** Whether there is an initializer {@code name}. */
        boolean has(String name);

        /** The weights of a model in memory; transposes nn.Linear weights, as PyTorch's exporter stores them. */
        static Source of(Parameters p) {
            return new Source() {
                @Override
                public TensorProto tensor(String name) {
                    Floats f = floats(name);
                    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                            .setRawData(f.data());
                    for (long d : f.dims()) t.addDims(d);
                    return t.build();
                }

                @Override
                public boolean has(String name) {
                    return name.endsWith(".weight.T") ? p.contains(name.substring(0, name.length() - ".T".length())) : p.contains(name);
                }

                @Override
                public Floats floats(String name) {
                    if (!name.endsWith(".weight.T")) return Source.floats(p.get(name).toFloatArray(), p.get(name).getShape().getShape());
                    String module = name.substring(0, name.length() - ".T".length());
                    long[] shape = p.get(module).getShape().getShape(); // (out, in)
                    int out = Math.toIntExact(shape[0]);
                    int in = Math.toIntExact(shape[1]);
                    float[] weight = p.get(module).toFloatArray();
                    float[] transposed = new float[weight.length];
                    for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) transposed[i * out + o] = weight[o * in + i];
                    return Source.floats(transposed, in, out);
                }
            };
        }

        private static Floats floats(float[] values, long... dims) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            return new Floats(UnsafeByteOperations.unsafeWrap(bytes.array()), dims); // the array is not touched again
        }
    }

    /** The weights as initializers of one graph, each added once, named as in {@link Source}. */
    private static final class Weights {
        private final OnnxGraph g;
        private final Source s;
        private final java.util.Map<String, long[]> added = new java.util.HashMap<>(); // name → dimensions

        Weights(OnnxGraph g, Source s) {
            this.g = g;
            this.s = s;
        }

        String add(String name) {
            return addAs(name, TensorProto.DataType.FLOAT);
        }

        String addAs(String name, TensorProto.DataType type) {
            if (added.containsKey(name)) return name;
            TensorProto t = s.tensor(name);
            if (!t.getName().equals(name) || t.getDataType() != type.getNumber()) {
                throw new IllegalArgumentException("initializer " + name + ": expected " + type + ", found " + t.getName() + " of type "
                        + t.getDataType());
            }
            added.put(name, t.getDimsList().stream().mapToLong(Long::longValue).toArray());
            return g.initializer(t);
        }

        long[] dims(String name) {
            add(name);
            return added.get(name);
        }

        /** nn.Linear as MatMul(x, Wᵀ) + b. */
        String linear(String x, String module) {
            return g.op("Add", List.of(product(x, module), add(module + ".bias")));
        }

        /**
         * x·Wᵀ without the bias (a fused operator after it adds that); W as int8 (an int8 file's, {@link OnnxQuantizer}) makes
         * it DynamicQuantizeMatMul, which quantizes x at run time as the int8 file's chain does.
         */
        String product(String x, String module) {
            if (!quantized(module)) return g.op("MatMul", List.of(x, add(module + ".weight.T")));
            String w = module + ".weight.T";
            return g.msOp("DynamicQuantizeMatMul", List.of(x, addAs(w + "_quantized", TensorProto.DataType.INT8),
                    addAs(w + "_scale", TensorProto.DataType.FLOAT), addAs(w + "_zero_point", TensorProto.DataType.INT8)));
        }

        /** Whether nn.Linear {@code module}'s weight is int8 in the source. */
        boolean quantized(String module) {
            return s.has(module + ".weight.T_quantized");
        }

        /** [bq bk bv], MultiHeadAttention's (3·hidden) bias. */
        String qkvBias(String layer) {
            ByteString bias = ByteString.EMPTY;
            long length = 0;
            for (String m : QKV) {
                Floats f = s.floats(layer + "attention.self." + m + ".bias");
                bias = bias.concat(f.data());
                length += f.dims()[0];
            }
            return g.raw(layer + "attention.self.qkv.bias", TensorProto.DataType.FLOAT, bias, length);
        }
    }

    private static final List<String> QKV = List.of("query", "key", "value");
}
