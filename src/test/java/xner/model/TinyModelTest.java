package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.testing.TinyModels;
import xner.model.weights.SafetensorsWriter;

/** The encoder and its masked-LM head on tiny random models, BERT and XLM-R. */
class TinyModelTest {
    @TempDir Path dir;

    private static BertConfig config(String type) {
        return type.equals("bert") ? TinyModels.bert() : TinyModels.xlmRoberta();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "xlm-roberta"})
    void savedModelLoadsWithIdenticalOutputs(String type) throws IOException {
        Path tokenizer = Files.createDirectory(dir.resolve("tokenizer"));
        Files.writeString(tokenizer.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
        Files.writeString(tokenizer.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        long[][] ids = {{3, 7, 9, 4, 2}, {3, 8, 4, 1, 1}};
        long[][] mask = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
        Path saved = dir.resolve("model");
        float[] before;
        float[] hiddenBefore;
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(config(type), true, 42);
             NDManager call = model.parameters().manager().newSubManager()) {
            before = model.logits(call, call.create(ids), call.create(mask), false).toFloatArray();
            hiddenBefore = model.encoder().hiddenStates(call, call.create(ids), call.create(mask), null, false)
                    .get(1).toFloatArray();
            model.save(saved, tokenizer);
        }
        assertEquals(Files.readString(tokenizer.resolve("tokenizer.json")), Files.readString(saved.resolve("tokenizer.json")));
        assertTrue(Files.isRegularFile(saved.resolve("vocab.txt")));
        try (MaskedLanguageModel model = MaskedLanguageModel.load(saved);
             NDManager call = model.parameters().manager().newSubManager()) {
            assertEquals(config(type), model.config());
            assertTrue(model.loadReport().isExact(), model.loadReport().describe());
            assertArrayEquals(before, model.logits(call, call.create(ids), call.create(mask), false).toFloatArray());
            assertArrayEquals(hiddenBefore, model.encoder().hiddenStates(call, call.create(ids), call.create(mask),
                    null, false).get(1).toFloatArray());
        }
    }

    @Test
    void xlmRobertaPositionsCountRealTokensFromThePaddingIdOn() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.xlmRoberta(), false, 1);
             NDManager call = model.parameters().manager().newSubManager()) {
            // padding id 1: real tokens take positions 2, 3, …; padding keeps position 1
            long[][] ids = {{0, 5, 6, 2, 1, 1}, {0, 7, 2, 1, 1, 1}};
            NDArray positions = model.encoder().positionIds(call, call.create(ids));
            assertArrayEquals(new long[] {2, 3, 4, 5, 1, 1, 2, 3, 4, 1, 1, 1}, positions.toLongArray());
            // and the embedding output is LayerNorm(word + token type 0 + that position's row), by hand
            NDArray embedded = model.encoder().hiddenStates(call, call.create(ids), null, null, false).get(0);
            float[][] words = rows(model.parameters().get("roberta.embeddings.word_embeddings.weight"));
            float[][] table = rows(model.parameters().get("roberta.embeddings.position_embeddings.weight"));
            float[] type0 = rows(model.parameters().get("roberta.embeddings.token_type_embeddings.weight"))[0];
            long[] expectedPositions = positions.toLongArray();
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 6; t++) {
                    float[] sum = new float[8];
                    for (int k = 0; k < 8; k++) {
                        sum[k] = words[(int) ids[b][t]][k] + type0[k] + table[(int) expectedPositions[b * 6 + t]][k];
                    }
                    assertArrayEquals(layerNorm(sum, 1e-5), embedded.get(b, t).toFloatArray(), 1e-5f, "at " + b + "," + t);
                }
            }
        }
    }

    @Test
    void bertPositionsAreTokenIndicesAndSegmentsPickTokenTypeRows() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.bert(), false, 2);
             NDManager call = model.parameters().manager().newSubManager()) {
            long[][] ids = {{2, 5, 6, 3}};
            long[][] types = {{0, 0, 1, 1}};
            NDArray embedded = model.encoder().hiddenStates(call, call.create(ids), null, call.create(types), false).get(0);
            float[][] words = rows(model.parameters().get("bert.embeddings.word_embeddings.weight"));
            float[][] table = rows(model.parameters().get("bert.embeddings.position_embeddings.weight"));
            float[][] typeRows = rows(model.parameters().get("bert.embeddings.token_type_embeddings.weight"));
            for (int t = 0; t < 4; t++) {
                float[] sum = new float[8];
                for (int k = 0; k < 8; k++) sum[k] = words[(int) ids[0][t]][k] + typeRows[(int) types[0][t]][k] + table[t][k];
                assertArrayEquals(layerNorm(sum, 1e-12), embedded.get(0, t).toFloatArray(), 1e-5f, "at " + t);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "xlm-roberta"})
    void paddingLeavesTheRealTokensOutputsUnchanged(String type) {
        BertConfig config = config(type);
        long pad = config.padTokenId();
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(config, false, 3);
             NDManager call = model.parameters().manager().newSubManager()) {
            NDArray alone = model.encoder().forward(call, call.create(new long[][] {{0, 5, 9, 2}}), null, null, false);
            NDArray padded = model.encoder().forward(call, call.create(new long[][] {{0, 5, 9, 2, pad, pad}}),
                    call.create(new long[][] {{1, 1, 1, 1, 0, 0}}), null, false);
            assertArrayEquals(alone.toFloatArray(), padded.get(":, 0:4, :").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void hiddenStatesStartWithTheEmbeddingsAndEndWithTheLastLayer() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.bert(), true, 4);
             NDManager call = model.parameters().manager().newSubManager()) {
            NDArray ids = call.create(new long[][] {{2, 5, 6, 3}});
            NDList states = model.encoder().hiddenStates(call, ids, null, null, false);
            assertEquals(3, states.size());
            assertArrayEquals(model.encoder().forward(call, ids, null, null, false).toFloatArray(),
                    states.get(2).toFloatArray());
            assertEquals(new ai.djl.ndarray.types.Shape(1, 8), model.encoder().pool(states.get(2)).getShape());
        }
    }

    @Test
    void inferenceFreesEachLayersArraysAsItGoes() {
        // a pass kept every intermediate until its scope closed: ~1 GB RSS per 512-token window in mBERT
        BertConfig twelveLayers = TinyModels.bert().withSizes(TinyModels.VOCAB, 8, 12, 2, 16);
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(twelveLayers, true, 4)) {
            int inference;
            int allStates;
            try (NDManager call = model.parameters().manager().newSubManager()) {
                model.encoder().forward(call, call.create(new long[][] {{2, 5, 6, 3}}), null, null, false);
                inference = call.getManagedArrays().size();
            }
            try (NDManager call = model.parameters().manager().newSubManager()) {
                model.encoder().hiddenStates(call, call.create(new long[][] {{2, 5, 6, 3}}), null, null, false);
                allStates = call.getManagedArrays().size();
            }
            // what is left: the inputs, the mask's bias, the embeddings' arrays and the last layer's output
            assertTrue(inference < 20, inference + " arrays left by a 12-layer pass");
            assertTrue(allStates > 12 * 10, "the path that keeps every state keeps " + allStates);
        }
    }

    @Test
    void dropoutActsOnlyWhenTraining() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.bert(), false, 5);
             NDManager call = model.parameters().manager().newSubManager()) {
            NDArray ids = call.create(new long[][] {{2, 5, 6, 7, 8, 9, 3}});
            float[] eval1 = model.encoder().forward(call, ids, null, null, false).toFloatArray();
            float[] eval2 = model.encoder().forward(call, ids, null, null, false).toFloatArray();
            float[] train = model.encoder().forward(call, ids, null, null, true).toFloatArray();
            assertArrayEquals(eval1, eval2);
            assertFalse(Arrays.equals(eval1, train));
        }
    }

    @Test
    void backwardGivesEveryParameterAGradient() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.bert(), false, 6)) {
            Parameters parameters = model.parameters();
            parameters.requireGradients(name -> true);
            try (NDManager step = parameters.manager().newSubManager()) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.logits(step, step.create(new long[][] {{2, 5, 6, 3}, {2, 7, 3, 0}}),
                            step.create(new long[][] {{1, 1, 1, 1}, {1, 1, 1, 0}}), true);
                    collector.backward(logits.logSoftmax(-1).get(":, :, 5").sum().neg());
                }
                List<String> zero = new ArrayList<>();
                for (String name : parameters.names()) {
                    if (parameters.gradient(step, name).abs().sum().getFloat() == 0) zero.add(name);
                }
                assertTrue(zero.isEmpty(), "no gradient for " + zero);
            }
        }
    }

    @Test
    void trainingStepsKeepTheParameterManagerFlat() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.xlmRoberta(), true, 7)) {
            Parameters parameters = model.parameters();
            parameters.requireGradients(name -> true);
            int before = -1;
            for (int i = 0; i < 5; i++) {
                try (NDManager step = parameters.manager().newSubManager()) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray ids = step.create(new long[][] {{0, 5, 6, 2}, {0, 7, 2, 1}});
                        NDArray mask = step.create(new long[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
                        NDArray logits = model.logits(step, ids, mask, true);
                        NDArray pooled = model.encoder().pool(model.encoder().forward(step, ids, mask, null, true));
                        collector.backward(logits.logSoftmax(-1).get(":, :, 5").sum().neg().add(pooled.sum()));
                    }
                    for (String name : parameters.names()) {
                        NDArray gradient = parameters.gradient(step, name);
                        parameters.get(name).subi(gradient.mul(0.01f));
                    }
                    parameters.zeroGradients();
                }
                int now = parameters.manager().getManagedArrays().size();
                if (before < 0) before = now;
                assertEquals(before, now, "arrays in the parameter manager after step " + i);
            }
            assertEquals(parameters.names().size(), before);
        }
    }

    @Test
    void bodyOnlyCheckpointLoadsWithAFreshHeadReported() throws IOException {
        BertConfig config = TinyModels.bert();
        Path model = Files.createDirectory(dir.resolve("body"));
        config.write(model.resolve("config.json"));
        // a bare BertModel as transformers saves it: no "bert." prefix, TensorFlow-era gamma/beta, a pooler
        try (Parameters body = Parameters.create()) {
            body.initialise(Encoder.specs(config, true), 0.02, new java.util.Random(8));
            List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
            for (String name : body.names()) {
                String saved = name.substring("bert.".length()).replace("LayerNorm.weight", "LayerNorm.gamma");
                NDArray a = body.get(name);
                tensors.add(new SafetensorsWriter.Tensor(saved, a.getShape(), a::toFloatArray));
            }
            tensors.add(new SafetensorsWriter.Tensor("cls.seq_relationship.weight", new ai.djl.ndarray.types.Shape(2, 8),
                    () -> new float[16]));
            SafetensorsWriter.write(model.resolve("model.safetensors"), tensors, java.util.Map.of());
        }
        try (MaskedLanguageModel loaded = MaskedLanguageModel.load(model)) {
            assertEquals(List.of("cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                    "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                    "cls.predictions.bias"), loaded.loadReport().newlyInitialised());
            assertEquals(List.of("cls.seq_relationship.weight"), loaded.loadReport().unused());
            assertTrue(loaded.loadReport().describe().contains("newly initialised"));
            assertTrue(loaded.encoder().hasPooler());
        }
    }

    @Test
    void weightsOfAnotherShapeNameBothShapes() throws IOException {
        Path saved = dir.resolve("model");
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.bert(), false, 9)) {
            model.save(saved, null);
        }
        TinyModels.bert().withSizes(31, 8, 2, 2, 16).write(saved.resolve("config.json"));
        var e = assertThrows(XnerInputException.class, () -> MaskedLanguageModel.load(saved));
        assertTrue(e.getMessage().contains("\"bert.embeddings.word_embeddings.weight\" has shape (30, 8), the model"
                + " expects (31, 8)"), e.getMessage());
    }

    @Test
    void aSequenceLongerThanThePositionTableIsRefused() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TinyModels.xlmRoberta(), false, 10);
             NDManager call = model.parameters().manager().newSubManager()) {
            assertEquals(16, model.encoder().maxSequenceLength()); // 18 rows - padding id 1 - 1
            var e = assertThrows(XnerInputException.class,
                    () -> model.encoder().forward(call, call.create(new long[1][17]), null, null, false));
            assertTrue(e.getMessage().contains("17 tokens is longer than the model's limit of 16"), e.getMessage());
        }
    }

    private static float[][] rows(NDArray matrix) {
        int n = (int) matrix.getShape().get(0);
        int d = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, out[i], 0, d);
        return out;
    }

    // LayerNorm with weight 1 and bias 0, as a fresh model has them
    private static float[] layerNorm(float[] x, double eps) {
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double var = 0;
        for (float v : x) var += (v - mean) * (v - mean);
        var /= x.length;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((x[i] - mean) / Math.sqrt(var + eps));
        return out;
    }
}
