package xner.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.testing.TestData;
import xner.testing.TinyModels;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.model.ModelDirectory;

/**
 * The ONNX export of tiny token classifiers run by ONNX Runtime against the same model on libtorch: the same
 * logits (1e-4) for BERT and XLM-R bodies, every activation, padded batches; int8 close but not equal; and
 * every malformed file named in one line.
 */
class OnnxExportTest {
    @TempDir Path dir;

    /** A tiny classifier with weights wide enough (N(0, 0.5)) that logits are O(1), not O(0.01). */
    static BertConfig tiny(BertConfig body) {
        return body.toBuilder().initializerRange(0.5).build().withLabels(LabelSet.PANX.names());
    }

    /** Saves a tiny model of {@code config} into {@code dir}/name with fp32 and int8 ONNX files beside it. */
    static Path exported(Path root, String name, BertConfig config, long seed) throws IOException {
        Path folder = root.resolve(name);
        try (TokenClassifier model = TokenClassifier.initialise(config, seed)) {
            model.save(folder, null);
        }
        OnnxExport.export(folder, folder, null);
        OnnxExport.export(folder, folder, OnnxQuantizer.Granularity.PER_CHANNEL);
        return folder;
    }

    /** Three rows of random ids, the last two padded (the pad id on padding, mask 0). */
    record Padded(int rows, int length, long[] ids, long[] mask) {
        static Padded random(BertConfig c, int length, long seed) {
            Random random = new Random(seed);
            int rows = 3;
            int[] lengths = {length, length - 3, 2};
            long[] ids = new long[rows * length];
            long[] mask = new long[rows * length];
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < length; t++) {
                    boolean token = t < lengths[r];
                    // real tokens never take the pad id: XLM-R numbers positions by ids ≠ pad
                    ids[r * length + t] = token ? 2 + random.nextInt(c.vocabSize() - 2) : c.padTokenId();
                    mask[r * length + t] = token ? 1 : 0;
                }
            }
            return new Padded(rows, length, ids, mask);
        }
    }

    static float maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length, "logit counts");
        float max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    static float maxAbs(float[] a) {
        float max = 0;
        for (float v : a) max = Math.max(max, Math.abs(v));
        return max;
    }

    /** The file as stored (what others run) and xner's fused form of it both give libtorch's logits. */
    private void assertParity(BertConfig config, long seed) throws IOException {
        Path folder = exported(dir, config.modelType() + "-" + config.hiddenAct(), config, seed);
        Padded batch = Padded.random(config, 12, seed);
        try (TokenClassifier torch = TokenClassifier.load(folder);
                OnnxTokenClassifier fused = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.FP32_FILE, 1, true);
                OnnxTokenClassifier stored = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.FP32_FILE, 1, false)) {
            assertEquals(OnnxTokenClassifier.FUSED, fused.form());
            assertEquals("as stored: xner.onnx.fuse=false", stored.form());
            float[] expected = torch.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
            assertTrue(maxAbs(expected) > 0.3, "logits too small to compare: " + maxAbs(expected));
            for (OnnxTokenClassifier onnx : List.of(fused, stored)) {
                float diff = maxDifference(expected, onnx.logits(batch.rows(), batch.length(), batch.ids(), batch.mask()));
                assertTrue(diff < 1e-4, config.modelType() + " " + config.hiddenAct() + ", " + onnx.form()
                        + ": ONNX and libtorch logits differ by " + diff);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gelu", "gelu_new", "relu"})
    void bertLogitsEqualLibtorchsForEveryActivation(String activation) throws IOException {
        assertParity(tiny(TinyModels.bert()).toBuilder().hiddenAct(activation).build(), 7);
    }

    @Test
    void xlmRobertaLogitsEqualLibtorchsWithItsPositionsAfterThePaddingId() throws IOException {
        assertParity(tiny(TinyModels.xlmRoberta()), 11);
    }

    @Test
    void theFileHasOptimumsInputsAndOutputWithDynamicAxes() throws IOException {
        Path folder = exported(dir, "contract", tiny(TinyModels.bert()), 3);
        ModelProto model = OnnxExport.read(folder.resolve(OnnxTokenClassifier.FP32_FILE));
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"),
                model.getGraph().getInputList().stream().map(v -> v.getName()).toList());
        for (var input : model.getGraph().getInputList()) {
            assertEquals(TensorProto.DataType.INT64_VALUE, input.getType().getTensorType().getElemType());
            assertEquals(List.of("batch_size", "sequence_length"),
                    input.getType().getTensorType().getShape().getDimList().stream().map(d -> d.getDimParam()).toList());
        }
        assertEquals("logits", model.getGraph().getOutput(0).getName());
        assertEquals(LabelSet.PANX.size(), model.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(2).getDimValue());
        assertEquals(OnnxGraph.OPSET, model.getOpsetImport(0).getVersion());
        assertTrue(model.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()), "standard operators only");
        assertTrue(Files.isRegularFile(folder.resolve(ModelDirectory.CONFIG)));
        try (var files = Files.list(folder)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".partial")), "no temporary file left");
        }
    }

    /**
     * ONNX Runtime's optimizer recognises part of the portable graph: the erf chain becomes Gelu (with the bias,
     * BiasGelu), the scaled q·kᵀ a FusedMatMul, and each int8 chain DynamicQuantizeMatMul; it fuses no Attention and no
     * SkipLayerNormalization (the reason for {@link OnnxRuntimeForm}). Counted in ORT's own saved, optimised model.
     */
    @Test
    void onnxRuntimesOptimizerFusesGeluAndTheInt8Products() throws Exception {
        BertConfig config = tiny(TinyModels.bert());
        Path folder = exported(dir, "fusions", config, 12);
        java.util.Map<String, Long> fp32 = optimisedOps(folder.resolve(OnnxTokenClassifier.FP32_FILE));
        java.util.Map<String, Long> int8 = optimisedOps(folder.resolve(OnnxTokenClassifier.INT8_FILE));
        System.out.println("ONNX Runtime's optimised model.onnx: " + fp32 + "\nmodel_quantized.onnx: " + int8);
        long layers = config.numHiddenLayers();
        assertEquals(layers, fp32.getOrDefault("com.microsoft:BiasGelu", 0L), fp32.toString());
        assertEquals(0L, fp32.getOrDefault(":Erf", 0L), fp32.toString());
        assertEquals(layers, fp32.getOrDefault("com.microsoft:FusedMatMul", 0L), fp32.toString());
        assertEquals(0L, fp32.getOrDefault("com.microsoft:Attention", 0L), fp32.toString());
        assertEquals(0L, fp32.getOrDefault("com.microsoft:SkipLayerNormalization", 0L), fp32.toString());
        assertEquals(0L, int8.getOrDefault(":MatMulInteger", 0L), int8.toString());
        assertTrue(int8.getOrDefault("com.microsoft:DynamicQuantizeMatMul", 0L) + int8.getOrDefault("com.microsoft:MatMulIntegerToFloat", 0L)
                == 6 * layers, int8.toString());
    }

    /**
     * xner's fused form of the same file, after ONNX Runtime's optimizer: EmbedLayerNormalization, then one
     * MultiHeadAttention and two SkipLayerNormalization a layer, BiasGelu, and nothing of the chains left (no
     * LayerNormalization, Softmax, Transpose, Erf, Gather): the products are the only other nodes.
     */
    @Test
    void theFusedFormRunsMultiHeadAttentionAndSkipLayerNormalizationInEveryLayer() throws Exception {
        BertConfig config = tiny(TinyModels.bert());
        Path folder = exported(dir, "fused", config, 13);
        Path portableFile = folder.resolve(OnnxTokenClassifier.FP32_FILE);
        OnnxRuntimeForm.Built built = OnnxRuntimeForm.of(portableFile, config);
        assertEquals(null, built.reason());
        Path file = dir.resolve("fused.onnx");
        OnnxRuntimeForm.write(built.model(), portableFile, file);
        java.util.Map<String, Long> ops = optimisedOps(file);
        System.out.println("ONNX Runtime's optimised fused form: " + ops);
        long layers = config.numHiddenLayers();
        assertEquals(layers, ops.getOrDefault("com.microsoft:MultiHeadAttention", 0L), ops.toString());
        assertEquals(2 * layers, ops.getOrDefault("com.microsoft:SkipLayerNormalization", 0L), ops.toString());
        assertEquals(layers, ops.getOrDefault("com.microsoft:BiasGelu", 0L), ops.toString());
        assertEquals(1L, ops.getOrDefault("com.microsoft:EmbedLayerNormalization", 0L), ops.toString());
        assertEquals(6 * layers + 1, ops.getOrDefault(":MatMul", 0L), "q, k, v, output, intermediate, output a layer, the head: " + ops);
        for (String gone : List.of(":LayerNormalization", ":Softmax", ":Transpose", ":Erf", ":Div", ":Gather")) {
            assertEquals(0L, ops.getOrDefault(gone, 0L), ops.toString());
        }
        // the weights are the file's: referred to in it (all but the q, k, v biases, side by side), then copied in
        ModelProto portable = OnnxExport.read(portableFile);
        ModelProto written = OnnxExport.read(file);
        for (TensorProto t : built.model().getGraph().getInitializerList()) {
            boolean inline = t.getName().endsWith("attention.self.qkv.bias");
            assertEquals(inline ? TensorProto.DataLocation.DEFAULT : TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
        }
        assertEquals(initializer(portable, "classifier.weight.T").getRawData(), initializer(written, "classifier.weight.T").getRawData());
        TensorProto qkvBias = initializer(written, "bert.encoder.layer.1.attention.self.qkv.bias");
        assertEquals(initializer(portable, "bert.encoder.layer.1.attention.self.key.bias").getRawData(), qkvBias.getRawData().substring(32, 64));
        // and the file written equals the same form built from the weights in memory, initializer for initializer
        ModelProto fromWeights;
        try (TokenClassifier model = TokenClassifier.load(folder)) {
            fromWeights = OnnxExport.graph(config, OnnxExport.Source.of(model.parameters()), OnnxExport.Form.ONNX_RUNTIME);
        }
        assertEquals(fromWeights.getGraph().getNodeList(), written.getGraph().getNodeList());
        assertEquals(fromWeights.getGraph().getInitializerList(), written.getGraph().getInitializerList());
        assertEquals(fromWeights.getGraph().getInputList(), written.getGraph().getInputList());
    }

    /** The same counts on multilingual BERT (12 layers), and the logits of both forms: what docs/results/onnx.md reports. */
    @Test
    @Tag("slow")
    void multilingualBertsFusedFormHasMultiHeadAttentionAndSkipLayerNormalizationInAllTwelveLayers() throws Exception {
        Path folder = TestData.exportedFreshMbert(dir);
        Path portable = folder.resolve(OnnxTokenClassifier.FP32_FILE);
        java.util.Map<String, Long> stored = optimisedOps(portable);
        BertConfig config = ModelDirectory.readConfig(folder);
        Path fusedFile = dir.resolve("mbert-fused.onnx");
        OnnxRuntimeForm.write(OnnxRuntimeForm.of(portable, config).model(), portable, fusedFile);
        java.util.Map<String, Long> fused = optimisedOps(fusedFile);
        System.out.println("mBERT model.onnx after ONNX Runtime's optimizer: " + stored + "\nxner's fused form after it: " + fused);
        assertEquals(0L, stored.getOrDefault("com.microsoft:Attention", 0L), stored.toString());
        assertEquals(12L, fused.getOrDefault("com.microsoft:MultiHeadAttention", 0L), fused.toString());
        assertEquals(24L, fused.getOrDefault("com.microsoft:SkipLayerNormalization", 0L), fused.toString());
        assertEquals(12L, fused.getOrDefault("com.microsoft:BiasGelu", 0L), fused.toString());
        assertEquals(1L, fused.getOrDefault("com.microsoft:EmbedLayerNormalization", 0L), fused.toString());

        // int8: the fused form's logits are the stored file's, on 3 padded rows of 40 random ids
        OnnxExport.export(folder, folder, OnnxQuantizer.Granularity.PER_CHANNEL);
        Padded batch = Padded.random(config, 40, 21);
        float[] expected;
        float[] fp32;
        try (TokenClassifier torch = TokenClassifier.load(folder)) {
            expected = torch.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
        }
        try (OnnxTokenClassifier onnx = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.FP32_FILE, 2, true)) {
            fp32 = onnx.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
        }
        float[] int8Stored;
        float[] int8Fused;
        try (OnnxTokenClassifier onnx = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.INT8_FILE, 2, false)) {
            int8Stored = onnx.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
        }
        try (OnnxTokenClassifier onnx = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.INT8_FILE, 2, true)) {
            assertEquals(OnnxTokenClassifier.FUSED, onnx.form());
            int8Fused = onnx.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
        }
        System.out.printf("mBERT, 3 × 40 random ids: largest |logit| %.3f; fused fp32 vs libtorch %.2e; int8 fused vs int8 as "
                + "stored %.2e; vs libtorch: int8 as stored %.3f, int8 fused %.3f%n", maxAbs(expected), maxDifference(expected, fp32),
                maxDifference(int8Stored, int8Fused), maxDifference(expected, int8Stored), maxDifference(expected, int8Fused));
        assertTrue(maxDifference(expected, fp32) < 1e-4, "fused fp32 vs libtorch: " + maxDifference(expected, fp32));
    }

    private static TensorProto initializer(ModelProto model, String name) {
        return model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
    }

    /**
     * An int8 file's fused form: its int8 products as DynamicQuantizeMatMul (as ONNX Runtime's own fusion makes them),
     * the attention in MultiHeadAttention, the norms in SkipLayerNormalization; the logits are the stored file's, to
     * float rounding (the same int8 weights, x quantized the same way).
     */
    @Test
    void anInt8FileRunsFusedWithTheStoredFilesLogits() throws Exception {
        BertConfig config = tiny(TinyModels.bert()).toBuilder().initializerRange(0.2).build();
        Path folder = exported(dir, "int8-fused", config, 15);
        Path int8File = folder.resolve(OnnxTokenClassifier.INT8_FILE);
        Path file = dir.resolve("int8-fused.onnx");
        OnnxRuntimeForm.write(OnnxRuntimeForm.of(int8File, config).model(), int8File, file);
        java.util.Map<String, Long> ops = optimisedOps(file);
        System.out.println("ONNX Runtime's optimised fused form of model_quantized.onnx: " + ops);
        long layers = config.numHiddenLayers();
        assertEquals(6 * layers, ops.getOrDefault("com.microsoft:DynamicQuantizeMatMul", 0L), ops.toString());
        assertEquals(layers, ops.getOrDefault("com.microsoft:MultiHeadAttention", 0L), ops.toString());
        assertEquals(2 * layers, ops.getOrDefault("com.microsoft:SkipLayerNormalization", 0L), ops.toString());
        for (String gone : List.of(":MatMulInteger", ":Softmax", ":Transpose", ":LayerNormalization")) {
            assertEquals(0L, ops.getOrDefault(gone, 0L), ops.toString());
        }
        Padded batch = Padded.random(config, 12, 3);
        try (OnnxTokenClassifier fused = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.INT8_FILE, 1, true);
                OnnxTokenClassifier stored = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.INT8_FILE, 1, false)) {
            assertEquals(OnnxTokenClassifier.FUSED, fused.form());
            float[] a = stored.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
            float[] b = fused.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
            assertTrue(maxAbs(a) > 0.1, "logits too small to compare: " + maxAbs(a));
            float diff = maxDifference(a, b);
            assertTrue(diff < 1e-4, "int8 fused and as stored differ by " + diff);
        }
    }

    @Test
    void aForeignFileAndTheSwitchRunAsStored() throws IOException {
        BertConfig config = tiny(TinyModels.bert());
        Path folder = exported(dir, "stored", config, 14);
        // a file of another producer: the same graph under another name is run as it is, not rebuilt
        Path file = folder.resolve(OnnxTokenClassifier.FP32_FILE);
        ModelProto other = OnnxExport.read(file).toBuilder().setProducerName("pytorch").build();
        Files.write(file, other.toByteArray());
        try (OnnxTokenClassifier foreign = OnnxTokenClassifier.load(folder, null, 1, true)) {
            assertEquals("as stored: written by pytorch, not xner", foreign.form());
        }
        // an xner file that lacks a weight the fused form needs says which
        ModelProto pruned = other.toBuilder().setProducerName("xner").setGraph(other.getGraph().toBuilder().removeInitializer(
                other.getGraph().getInitializerList().indexOf(initializer(other, "bert.encoder.layer.0.attention.self.key.bias")))).build();
        assertEquals("no initializer bert.encoder.layer.0.attention.self.key.bias (not a graph xner exported?)",
                OnnxRuntimeForm.of(writeTo(dir.resolve("pruned.onnx"), pruned), config).reason());
        String before = System.getProperty("xner.onnx.fuse");
        try {
            System.setProperty("xner.onnx.fuse", "false");
            assertFalse(OnnxTokenClassifier.fuses());
            System.setProperty("xner.onnx.fuse", "no");
            XnerInputException e = assertThrows(XnerInputException.class, OnnxTokenClassifier::fuses);
            assertTrue(e.getMessage().contains("xner.onnx.fuse") && e.getMessage().contains("\"no\""), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("xner.onnx.fuse");
            else System.setProperty("xner.onnx.fuse", before);
        }
    }

    /**
     * A config.json edited after the export (found by OnnxConfigFuzzTest's fused-against-stored check, on a hand-written
     * seed): the fused graph was built from its heads, activation and epsilon, so the model computed something other
     * than the file, without a word. The file records what it was built for, and a config.json that says otherwise is
     * refused naming the key; a file without the record (an earlier export) runs as stored.
     */
    @Test
    void aConfigThatIsNotTheFilesModelIsRefusedNamingTheKey() throws IOException {
        BertConfig config = tiny(TinyModels.bert());
        Path folder = exported(dir, "edited", config, 15);
        Path file = folder.resolve(OnnxTokenClassifier.FP32_FILE);
        for (BertConfig edited : List.of(config.toBuilder().hiddenAct("relu").build(), config.toBuilder().numAttentionHeads(4).build(),
                config.toBuilder().layerNormEps(1e-5).build(), config.withEmbeddingTables(512, 2))) {
            edited.write(folder.resolve(ModelDirectory.CONFIG));
            XnerInputException e = assertThrows(XnerInputException.class, () -> OnnxTokenClassifier.load(folder, null, 1, false));
            assertTrue(e.getMessage().startsWith(file + ": exported for ") && e.getMessage().endsWith("are of different models"),
                    e.getMessage());
        }
        assertEquals(file + ": exported for hidden_act gelu, but config.json says relu: the ONNX file and config.json are of "
                + "different models", assertThrows(XnerInputException.class, () -> {
                    config.toBuilder().hiddenAct("relu").build().write(folder.resolve(ModelDirectory.CONFIG));
                    OnnxTokenClassifier.load(folder, null, 1, true);
                }).getMessage());
        // gelu_new and gelu_pytorch_tanh are one function: either name describes a file exported with the other
        BertConfig tanh = config.toBuilder().hiddenAct("gelu_new").build();
        Path tanhFolder = exported(dir, "tanh", tanh, 16);
        tanh.toBuilder().hiddenAct("gelu_pytorch_tanh").build().write(tanhFolder.resolve(ModelDirectory.CONFIG));
        try (OnnxTokenClassifier model = OnnxTokenClassifier.load(tanhFolder, null, 1, true)) {
            assertEquals(OnnxTokenClassifier.FUSED, model.form());
        }
        // an export without the record: as stored, saying why
        config.write(folder.resolve(ModelDirectory.CONFIG));
        ModelProto model = OnnxExport.read(file);
        ModelProto.Builder older = model.toBuilder().clearMetadataProps();
        model.getMetadataPropsList().stream().filter(p -> !p.getKey().equals(OnnxExport.ARCHITECTURE_KEY)).forEach(older::addMetadataProps);
        writeTo(file, older.build());
        try (OnnxTokenClassifier stored = OnnxTokenClassifier.load(folder, null, 1, true)) {
            assertEquals("as stored: exported before xner recorded the architecture in the file; export it again to run fused",
                    stored.form());
        }
    }

    private static Path writeTo(Path file, ModelProto model) throws IOException {
        Files.write(file, model.toByteArray());
        return file;
    }

    private java.util.Map<String, Long> optimisedOps(Path file) throws Exception {
        Path optimised = dir.resolve("optimised-" + file.getFileName());
        try (var options = new ai.onnxruntime.OrtSession.SessionOptions()) {
            options.setOptimizationLevel(ai.onnxruntime.OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setOptimizedModelFilePath(optimised.toString());
            ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(file.toString(), options).close();
        }
        return OnnxExport.read(optimised).getGraph().getNodeList().stream().collect(java.util.stream.Collectors.groupingBy(
                n -> n.getDomain() + ":" + n.getOpType(), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    @Test
    void int8IsCloseToFp32ButQuantized() throws IOException {
        BertConfig config = tiny(TinyModels.bert()).toBuilder().initializerRange(0.2).build();
        Path folder = exported(dir, "int8", config, 5);
        ModelProto quantized = OnnxExport.read(folder.resolve(OnnxTokenClassifier.INT8_FILE));
        long integerProducts = quantized.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMulInteger")).count();
        assertEquals(6L * config.numHiddenLayers(), integerProducts, "q, k, v, attention output, intermediate, output per layer");
        assertTrue(quantized.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals("bert.encoder.layer.0.attention.self.query.weight.T")),
                "the float matrix is replaced, not kept beside the int8 one");
        Padded batch = Padded.random(config, 12, 1);
        try (OnnxTokenClassifier fp32 = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.FP32_FILE, 1);
                OnnxTokenClassifier int8 = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.INT8_FILE, 1)) {
            float[] a = fp32.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
            float[] b = int8.logits(batch.rows(), batch.length(), batch.ids(), batch.mask());
            float diff = maxDifference(a, b);
            assertTrue(diff > 0, "int8 logits are exactly the fp32 ones: nothing was quantized");
            assertTrue(diff < 0.05 * maxAbs(a), "int8 differs from fp32 by " + diff + " of logits up to " + maxAbs(a));
        }
    }

    @Test
    void perTensorQuantizationHasOneScaleAMatrix() throws IOException {
        Path folder = dir.resolve("per-tensor");
        try (TokenClassifier model = TokenClassifier.initialise(tiny(TinyModels.bert()), 2)) {
            model.save(folder, null);
        }
        OnnxExport.export(folder, folder, null);
        OnnxExport.export(folder, folder, OnnxQuantizer.Granularity.PER_TENSOR);
        ModelProto quantized = OnnxExport.read(folder.resolve(OnnxTokenClassifier.INT8_FILE));
        TensorProto scale = quantized.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("bert.encoder.layer.0.attention.self.query.weight.T_scale")).findFirst().orElseThrow();
        assertEquals(0, scale.getDimsCount(), "a scalar scale");
        try (OnnxTokenClassifier int8 = OnnxTokenClassifier.load(folder, OnnxTokenClassifier.INT8_FILE, 1)) {
            assertEquals(2 * LabelSet.PANX.size(), int8.logits(1, 2, new long[] {2, 3}, new long[] {1, 1}).length);
        }
    }

    @Test
    void quantizingAQuantizedModelSaysWhatToDo() throws IOException {
        Path folder = exported(dir, "twice", tiny(TinyModels.bert()), 4);
        Path onlyInt8 = dir.resolve("only-int8");
        Files.createDirectories(onlyInt8);
        Files.copy(folder.resolve(ModelDirectory.CONFIG), onlyInt8.resolve(ModelDirectory.CONFIG));
        Files.copy(folder.resolve(OnnxTokenClassifier.INT8_FILE), onlyInt8.resolve(OnnxTokenClassifier.INT8_FILE));
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> OnnxExport.export(onlyInt8, onlyInt8, OnnxQuantizer.Granularity.PER_CHANNEL));
        assertTrue(e.getMessage().contains("already quantized") && e.getMessage().contains(onlyInt8.toString()), e.getMessage());
        // a model.onnx that is itself quantized (renamed) is recognised by its graph
        Path renamed = dir.resolve("renamed");
        Files.createDirectories(renamed);
        Files.copy(folder.resolve(ModelDirectory.CONFIG), renamed.resolve(ModelDirectory.CONFIG));
        Files.copy(folder.resolve(OnnxTokenClassifier.INT8_FILE), renamed.resolve(OnnxTokenClassifier.FP32_FILE));
        e = assertThrows(XnerInputException.class, () -> OnnxExport.export(renamed, renamed, OnnxQuantizer.Granularity.PER_CHANNEL));
        assertTrue(e.getMessage().contains("is already quantized"), e.getMessage());
    }

    @Test
    void anOnnxOnlyFolderCanStillBeQuantized() throws IOException {
        Path folder = exported(dir, "source", tiny(TinyModels.bert()), 6);
        Path onnxOnly = dir.resolve("onnx-only");
        Files.createDirectories(onnxOnly);
        Files.copy(folder.resolve(ModelDirectory.CONFIG), onnxOnly.resolve(ModelDirectory.CONFIG));
        Files.copy(folder.resolve(OnnxTokenClassifier.FP32_FILE), onnxOnly.resolve(OnnxTokenClassifier.FP32_FILE));
        OnnxExport.Written w = OnnxExport.export(onnxOnly, onnxOnly, OnnxQuantizer.Granularity.PER_CHANNEL);
        assertEquals(OnnxTokenClassifier.FP32_FILE, w.from());
        assertArrayEquals(Files.readAllBytes(folder.resolve(OnnxTokenClassifier.INT8_FILE)), Files.readAllBytes(w.file()),
                "the same int8 file as quantizing straight from the weights");
    }

    @Test
    void aTruncatedFileIsNamed() throws IOException {
        Path folder = exported(dir, "truncated", tiny(TinyModels.bert()), 8);
        Path file = folder.resolve(OnnxTokenClassifier.FP32_FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        XnerInputException e = assertThrows(XnerInputException.class, () -> OnnxTokenClassifier.load(folder, null, 1));
        assertTrue(e.getMessage().startsWith(file + ": not a readable ONNX model"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aLabelCountOtherThanTheConfigsIsNamed() throws IOException {
        Path folder = exported(dir, "labels", tiny(TinyModels.bert()), 9);
        BertConfig config = ModelDirectory.readConfig(folder);
        config.withLabels(List.of("O", "B-PER", "I-PER")).write(folder.resolve(ModelDirectory.CONFIG));
        XnerInputException e = assertThrows(XnerInputException.class, () -> OnnxTokenClassifier.load(folder, null, 1));
        assertTrue(e.getMessage().contains(folder.resolve(OnnxTokenClassifier.FP32_FILE) + ": logits have 7 labels but config.json's "
                + "id2label has 3"), e.getMessage());
    }

    @Test
    void otherInputNamesAndOtherOutputsAreNamed() throws IOException {
        Path folder = exported(dir, "foreign", tiny(TinyModels.bert()), 10);
        Path file = folder.resolve(OnnxTokenClassifier.FP32_FILE);
        writeIdentity(file, List.of("input"), "logits");
        XnerInputException e = assertThrows(XnerInputException.class, () -> OnnxTokenClassifier.load(folder, null, 1));
        assertTrue(e.getMessage().startsWith(file + ": inputs [input]"), e.getMessage());
        writeIdentity(file, List.of("input_ids", "attention_mask"), "last_hidden_state");
        e = assertThrows(XnerInputException.class, () -> OnnxTokenClassifier.load(folder, null, 1));
        assertTrue(e.getMessage().startsWith(file + ": not a token classifier: its outputs are [last_hidden_state]"), e.getMessage());
    }

    /** A one-node ONNX file: Identity from the first of {@code inputs} to {@code output}. */
    private static void writeIdentity(Path file, List<String> inputs, String output) throws IOException {
        OnnxGraph g = new OnnxGraph("identity");
        for (String input : inputs) g.input(input, TensorProto.DataType.INT64, "batch", "sequence");
        g.opNamed(output, "Identity", List.of(inputs.get(0)));
        g.output(output, TensorProto.DataType.INT64, "batch", "sequence");
        Files.write(file, g.model("test").toByteArray());
    }

    @Test
    void threadsComeFromTheSettingXnerThreadsMakes() {
        String before = System.getProperty("xner.onnx.num_threads");
        try {
            System.clearProperty("xner.onnx.num_threads");
            assertEquals(OnnxTokenClassifier.DEFAULT_THREADS, OnnxTokenClassifier.threads());
            System.setProperty("xner.onnx.num_threads", "3");
            assertEquals(3, OnnxTokenClassifier.threads());
            System.setProperty("xner.onnx.num_threads", "two");
            XnerInputException e = assertThrows(XnerInputException.class, OnnxTokenClassifier::threads);
            assertTrue(e.getMessage().contains("XNER_THREADS") && e.getMessage().contains("\"two\""), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("xner.onnx.num_threads");
            else System.setProperty("xner.onnx.num_threads", before);
        }
    }

    @Test
    void aFolderWithoutOnnxFilesSaysHowToMakeThem() throws IOException {
        Path folder = dir.resolve("plain");
        try (TokenClassifier model = TokenClassifier.initialise(tiny(TinyModels.bert()), 1)) {
            model.save(folder, null);
        }
        XnerInputException e = assertThrows(XnerInputException.class, () -> OnnxTokenClassifier.load(folder, null, 1));
        assertTrue(e.getMessage().contains("no model.onnx or model_quantized.onnx") && e.getMessage().contains("xner export --model "
                + folder), e.getMessage());
    }
}
