package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.LabelSet;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.model.weights.PyTorchReader;
import xner.model.weights.SafetensorsWriter;
import xner.model.weights.WeightReader;

/**
 * Tiny token classifiers saved by PyTorch ({@code pytorch_model.bin}, src/test/resources/xner/model/hub): xner's
 * logits for a fixed input equal those PyTorch computed, module by module as transformers computes them, within
 * 1e-4 (float32, summed in another order).
 */
class PyTorchParityTest {
    private static final float TOLERANCE = 1e-4f;
    private static final List<String> CONLL = List.of("O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");

    @TempDir Path dir;

    private static void assertLogits(TorchReference reference, LogitsModel model) {
        int rows = reference.inputIds().length;
        int length = reference.inputIds()[0].length;
        float[] logits = model.logits(rows, length, reference.flatIds(), reference.flatMask());
        assertEquals(reference.logits().length, logits.length);
        float worst = 0;
        for (int row = 0; row < rows; row++) {
            for (int t = 0; t < length; t++) {
                if (reference.attentionMask()[row][t] == 0) continue; // padding: whatever both compute there
                for (int k = 0; k < reference.labels(); k++) {
                    int i = (row * length + t) * reference.labels() + k;
                    worst = Math.max(worst, Math.abs(logits[i] - reference.logits()[i]));
                }
            }
        }
        assertTrue(worst < TOLERANCE, "largest difference from PyTorch: " + worst);
    }

    @Test
    void bertFromPytorchModelBinGivesPyTorchsLogitsAndKeepsItsLabels() {
        try (TokenClassifier model = TokenClassifier.load(TorchReference.folder("tiny-bert"))) {
            assertEquals(CONLL, model.labels().names());
            assertTrue(model.loadReport().newlyInitialised().isEmpty());
            assertEquals(List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias"), model.loadReport().unused());
            assertLogits(TorchReference.of("tiny-bert"), model);
        }
    }

    @Test
    void distilBertGivesPyTorchsLogits() {
        try (TokenClassifier model = TokenClassifier.load(TorchReference.folder("tiny-distilbert"))) {
            assertEquals("distilbert", model.config().modelType());
            assertEquals(8, model.config().hiddenSize());   // "dim"
            assertEquals(16, model.config().intermediateSize()); // "hidden_dim"
            assertTrue(model.loadReport().isExact(), model.loadReport().describe());
            assertLogits(TorchReference.of("tiny-distilbert"), model);
        }
    }

    @Test
    void theTokenizerOfTheFolderGivesTheReferenceIds() {
        TorchReference reference = TorchReference.of("tiny-bert");
        try (Tokenizer tokenizer = Tokenizers.load(TorchReference.folder("tiny-bert"))) {
            for (int row = 0; row < reference.sentences().size(); row++) {
                List<Integer> ids = tokenizer.encode(reference.sentences().get(row)).ids();
                List<Long> expected = new ArrayList<>();
                for (int t = 0; t < ids.size(); t++) expected.add(reference.inputIds()[row][t]);
                assertEquals(expected, ids.stream().map(Integer::longValue).toList());
            }
        }
    }

    @Test
    void aDistilBertSavedByXnerIsDistilBertsConfigAndLoadsTheSame() throws IOException {
        Path saved = dir.resolve("saved");
        try (TokenClassifier model = TokenClassifier.load(TorchReference.folder("tiny-distilbert"))) {
            model.save(saved, TorchReference.folder("tiny-distilbert"));
        }
        String config = Files.readString(saved.resolve("config.json"));
        for (String key : List.of("\"dim\": 8", "\"n_layers\": 2", "\"n_heads\": 2", "\"hidden_dim\": 16", "\"activation\": \"gelu\"",
                "\"dropout\": 0.1", "\"attention_dropout\": 0.1", "\"sinusoidal_pos_embds\": false", "\"seq_classif_dropout\": 0.2")) {
            assertTrue(config.contains(key), key + " in " + config);
        }
        for (String bertKey : List.of("hidden_size", "num_hidden_layers", "type_vocab_size", "layer_norm_eps", "position_embedding_type")) {
            assertTrue(!config.contains("\"" + bertKey + "\""), bertKey + " in " + config);
        }
        try (TokenClassifier again = TokenClassifier.load(saved)) {
            assertLogits(TorchReference.of("tiny-distilbert"), again);
        }
    }

    @Test
    void shardedSafetensorsLoadAsOneFile() throws IOException {
        // the BERT fixture re-saved in two shards with an index, as transformers saves a large model
        Path sharded = dir.resolve("sharded");
        Files.createDirectories(sharded);
        Map<String, String> weightMap = new LinkedHashMap<>();
        try (PyTorchReader weights = PyTorchReader.open(TorchReference.folder("tiny-bert").resolve("pytorch_model.bin"))) {
            List<SafetensorsWriter.Tensor> first = new ArrayList<>();
            List<SafetensorsWriter.Tensor> second = new ArrayList<>();
            for (String name : weights.names()) {
                if (name.endsWith("position_ids")) continue;
                boolean early = name.startsWith("bert.embeddings") || name.contains("layer.0.");
                String shard = early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
                (early ? first : second).add(new SafetensorsWriter.Tensor(name, weights.shape(name), () -> weights.read(name)));
                weightMap.put(name, shard);
            }
            SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), first, Map.of("format", "pt"));
            SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second, Map.of("format", "pt"));
        }
        com.google.gson.JsonObject index = new com.google.gson.JsonObject();
        com.google.gson.JsonObject map = new com.google.gson.JsonObject();
        weightMap.forEach(map::addProperty);
        index.add("metadata", new com.google.gson.JsonObject());
        index.add("weight_map", map);
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index.toString());
        Files.copy(TorchReference.folder("tiny-bert").resolve("config.json"), sharded.resolve("config.json"));

        try (WeightReader weights = ModelDirectory.openWeights(sharded)) {
            assertEquals(sharded.resolve("model.safetensors.index.json"), weights.file());
            assertEquals(new Shape(9, 8), weights.shape("classifier.weight"));
        }
        try (TokenClassifier model = TokenClassifier.load(sharded)) {
            assertLogits(TorchReference.of("tiny-bert"), model);
        }
    }

    @Test
    void aShardTheIndexNamesMustHoldItsTensors() throws IOException {
        Path sharded = dir.resolve("bad");
        Files.createDirectories(sharded);
        SafetensorsWriter.write(sharded.resolve("a.safetensors"),
                List.of(new SafetensorsWriter.Tensor("x", new Shape(1), () -> new float[1])), Map.of());
        Files.writeString(sharded.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"x\": \"a.safetensors\", \"y\": \"a.safetensors\"}}");
        Files.writeString(sharded.resolve("config.json"), "{}");

        xner.XnerInputException e = org.junit.jupiter.api.Assertions.assertThrows(xner.XnerInputException.class,
                () -> ModelDirectory.openWeights(sharded).close());

        assertEquals(sharded.resolve("model.safetensors.index.json") + ": puts tensor \"y\" in a.safetensors, which does not hold it",
                e.getMessage());
    }

    @Test
    void aFineTunedHubModelKeepsItsHeadWhenTrainedOnItsOwnLabels() {
        try (TokenClassifier model = TokenClassifier.fromPretrained(TorchReference.folder("tiny-bert"), new LabelSet(CONLL), 1)) {
            assertTrue(model.loadReport().mismatched().isEmpty());
            assertTrue(model.loadReport().newlyInitialised().isEmpty());
            assertLogits(TorchReference.of("tiny-bert"), model);
        }
    }

    @Test
    void distilBertsMaskedLanguageModelGivesPyTorchsLogits() {
        TorchReference reference = TorchReference.of("tiny-distilbert-mlm");
        try (MaskedLanguageModel model = MaskedLanguageModel.load(TorchReference.folder("tiny-distilbert-mlm"));
             ai.djl.ndarray.NDManager call = model.parameters().manager().newSubManager()) {
            assertTrue(model.loadReport().isExact(), model.loadReport().describe()); // vocab_projector.weight: tied
            float[] logits = model.logits(call, call.create(reference.inputIds()), call.create(reference.attentionMask()), false)
                    .toFloatArray();
            float worst = 0;
            int length = reference.inputIds()[0].length;
            for (int row = 0; row < reference.inputIds().length; row++) {
                for (int t = 0; t < length; t++) {
                    if (reference.attentionMask()[row][t] == 0) continue;
                    for (int k = 0; k < reference.labels(); k++) {
                        int i = (row * length + t) * reference.labels() + k;
                        worst = Math.max(worst, Math.abs(logits[i] - reference.logits()[i]));
                    }
                }
            }
            assertTrue(worst < TOLERANCE, "largest difference from PyTorch: " + worst);
        }
    }
}
