package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.testing.TinyModels;
import xner.model.weights.TensorBundleReader;

class TensorflowBertConverterTest {
    @TempDir Path dir;

    @Test
    void tensorflowNamesMapToHuggingFaceNames() {
        assertEquals(Optional.of("bert.encoder.layer.11.attention.self.query.weight"),
                TensorflowBertConverter.huggingFaceName("module/bert/encoder/layer_11/attention/self/query/kernel"));
        assertEquals(Optional.of("bert.encoder.layer.0.attention.output.LayerNorm.weight"),
                TensorflowBertConverter.huggingFaceName("bert/encoder/layer_0/attention/output/LayerNorm/gamma"));
        assertEquals(Optional.of("bert.embeddings.LayerNorm.bias"),
                TensorflowBertConverter.huggingFaceName("module/bert/embeddings/LayerNorm/beta"));
        assertEquals(Optional.of("bert.embeddings.word_embeddings.weight"),
                TensorflowBertConverter.huggingFaceName("module/bert/embeddings/word_embeddings"));
        assertEquals(Optional.of("bert.pooler.dense.bias"),
                TensorflowBertConverter.huggingFaceName("module/bert/pooler/dense/bias"));
        assertEquals(Optional.of("cls.predictions.bias"),
                TensorflowBertConverter.huggingFaceName("module/cls/predictions/output_bias"));
        assertEquals(Optional.of("cls.predictions.transform.LayerNorm.weight"),
                TensorflowBertConverter.huggingFaceName("module/cls/predictions/transform/LayerNorm/gamma"));
        assertEquals(Optional.empty(), TensorflowBertConverter.huggingFaceName("global_step"));
        assertEquals(Optional.empty(),
                TensorflowBertConverter.huggingFaceName("bert/encoder/layer_0/output/dense/kernel/adam_m"));
    }

    @Test
    void transposeTurnsInOutKernelsIntoOutInWeights() {
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6},
                TensorflowBertConverter.transpose(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
    }

    /** A tiny BERT written as Google's TensorFlow checkpoint converts back into the same model. */
    @Test
    void tensorflowCheckpointConvertsIntoTheSameModel() throws IOException {
        BertConfig config = TinyModels.bert().withArchitectures(java.util.List.of("BertForMaskedLM"));
        long[][] ids = {{2, 5, 6, 9, 3}};
        float[] expected;
        Path index;
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(config, true, 11)) {
            try (NDManager call = model.parameters().manager().newSubManager()) {
                expected = model.logits(call, call.create(ids), null, false).toFloatArray();
            }
            TensorBundleWriter bundle = new TensorBundleWriter();
            bundle.add("global_step", new long[] {1}, new float[] {0}); // not a weight: skipped
            for (String name : model.parameters().names()) {
                NDArray a = model.parameters().get(name);
                String tf = tensorflowName(name);
                boolean kernel = tf.endsWith("/kernel");
                NDArray stored = kernel ? a.transpose() : a;
                bundle.add(tf, stored.getShape().getShape(), stored.toFloatArray());
            }
            index = bundle.write(dir, "variables");
        }
        Path vocab = Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
        Path out = Files.createDirectory(dir.resolve("hf"));
        try (TensorBundleReader reader = TensorBundleReader.open(index)) {
            BertConfig inferred = TensorflowBertConverter.inferConfig(reader, 2);
            assertEquals(config, inferred);
            TensorflowBertConverter.convert(reader, inferred, vocab, out);
        }
        assertTrue(Files.readString(out.resolve("tokenizer_config.json")).contains("\"do_lower_case\": false"));
        try (MaskedLanguageModel model = MaskedLanguageModel.load(out);
             NDManager call = model.parameters().manager().newSubManager()) {
            assertTrue(model.loadReport().isExact(), model.loadReport().describe());
            assertArrayEquals(expected, model.logits(call, call.create(ids), null, false).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aCheckpointThatIsNotBertSaysWhatIsMissing() throws IOException {
        Path index = new TensorBundleWriter().add("model/dense/kernel", new long[] {2, 2}, new float[4])
                .write(dir, "variables");
        try (TensorBundleReader reader = TensorBundleReader.open(index)) {
            var e = assertThrows(XnerInputException.class, () -> TensorflowBertConverter.inferConfig(reader, 2));
            assertTrue(e.getMessage().contains("no TensorFlow variable for bert.embeddings.word_embeddings.weight"),
                    e.getMessage());
        }
    }

    // the inverse of the converter's mapping, written out by hand for the tiny model's names
    private static String tensorflowName(String hf) {
        if (hf.equals("cls.predictions.bias")) return "module/cls/predictions/output_bias";
        String n = hf.replaceAll("layer\\.(\\d+)", "layer_$1");
        if (n.endsWith("_embeddings.weight")) n = n.substring(0, n.length() - ".weight".length());
        else if (n.contains("LayerNorm")) n = n.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
        else n = n.replaceAll("\\.weight$", ".kernel");
        return "module/" + n.replace('.', '/');
    }
}
