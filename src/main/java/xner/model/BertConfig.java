package xner.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xner.XnerInputException;

/**
 * The hyperparameters of a BERT-family encoder, as Hugging Face's {@code config.json} holds them.
 *
 * <p>Keys a file leaves out take Hugging Face's defaults ({@code BertConfig}, or {@code XLMRobertaConfig}
 * for {@code model_type} {@code xlm-roberta} / {@code roberta}); keys xner does not use are kept in
 * {@link #extra} and written back unchanged. {@code id2label} (label names in id order) is empty unless the
 * config carries a token-classification head.
 *
 * @param modelType {@code bert}, {@code xlm-roberta} or {@code roberta}
 * @param hiddenAct {@code gelu} (exact erf form), {@code gelu_new} / {@code gelu_pytorch_tanh} (tanh form)
 *     or {@code relu}
 * @param id2label label names indexed by label id; empty when the config names no labels
 * @param extra other keys of the file, written back as they were
 */
public record BertConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        double hiddenDropoutProb,
        double attentionProbsDropoutProb,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        double initializerRange,
        List<String> architectures,
        List<String> id2label,
        Map<String, JsonElement> extra) {

    /** The {@code model_type} values xner can build an encoder for. */
    public static final List<String> MODEL_TYPES = List.of("bert", "xlm-roberta", "roberta");

    public BertConfig {
        check("model_type", MODEL_TYPES.contains(modelType),
                "unsupported \"" + modelType + "\" (xner supports " + String.join(", ", MODEL_TYPES) + ")");
        check("vocab_size", vocabSize > 0, "must be positive, was " + vocabSize);
        check("hidden_size", hiddenSize > 0, "must be positive, was " + hiddenSize);
        check("num_hidden_layers", numHiddenLayers >= 0, "must not be negative, was " + numHiddenLayers);
        check("num_attention_heads", numAttentionHeads > 0, "must be positive, was " + numAttentionHeads);
        check("hidden_size", hiddenSize % numAttentionHeads == 0, "must be a multiple of num_attention_heads ("
                + numAttentionHeads + "), was " + hiddenSize);
        check("intermediate_size", intermediateSize > 0, "must be positive, was " + intermediateSize);
        check("hidden_act", HiddenActivation.isKnown(hiddenAct),
                "unsupported \"" + hiddenAct + "\" (xner supports " + HiddenActivation.knownNames() + ")");
        check("hidden_dropout_prob", hiddenDropoutProb >= 0 && hiddenDropoutProb < 1,
                "must be in [0, 1), was " + hiddenDropoutProb);
        check("attention_probs_dropout_prob", attentionProbsDropoutProb >= 0 && attentionProbsDropoutProb < 1,
                "must be in [0, 1), was " + attentionProbsDropoutProb);
        check("max_position_embeddings", maxPositionEmbeddings > 0, "must be positive, was " + maxPositionEmbeddings);
        check("type_vocab_size", typeVocabSize > 0, "must be positive, was " + typeVocabSize);
        check("layer_norm_eps", layerNormEps > 0, "must be positive, was " + layerNormEps);
        check("pad_token_id", padTokenId >= 0 && padTokenId < vocabSize,
                "must be a token id below vocab_size (" + vocabSize + "), was " + padTokenId);
        check("initializer_range", initializerRange > 0, "must be positive, was " + initializerRange);
        if (!"bert".equals(modelType)) {
            // RoBERTa numbers positions from pad_token_id + 1 on (see XlmRobertaEncoder)
            check("max_position_embeddings", maxPositionEmbeddings > padTokenId + 1,
                    "must exceed pad_token_id + 1 (" + (padTokenId + 1) + "), was " + maxPositionEmbeddings);
        }
        architectures = List.copyOf(architectures);
        id2label = List.copyOf(id2label);
        check("id2label", id2label.stream().distinct().count() == id2label.size(), "labels must be distinct");
        Map<String, JsonElement> copy = new TreeMap<>();
        extra.forEach((k, v) -> copy.put(k, v.deepCopy()));
        extra = java.util.Collections.unmodifiableMap(copy);
    }

    private static void check(String key, boolean ok, String message) {
        if (!ok) throw new XnerInputException(key + ": " + message);
    }

    /** Hugging Face's defaults for a model type (BERT-base sizes; XLM-R's padding id 1). */
    public static BertConfig defaults(String modelType) {
        boolean bert = "bert".equals(modelType);
        return new BertConfig(modelType, 30522, 768, 12, 12, 3072, "gelu", 0.1, 0.1, 512, 2, 1e-12,
                bert ? 0 : 1, 0.02, List.of(), List.of(), Map.of());
    }

    /** A copy with other sizes: vocabulary, hidden width, layers, attention heads, feed-forward width. */
    public BertConfig withSizes(int vocab, int hidden, int layers, int heads, int intermediate) {
        return new BertConfig(modelType, vocab, hidden, layers, heads, intermediate, hiddenAct, hiddenDropoutProb,
                attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId,
                initializerRange, architectures, id2label, extra);
    }

    /** A copy with other position and token-type table sizes. */
    public BertConfig withEmbeddingTables(int maxPositions, int typeVocab) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositions, typeVocab, layerNormEps,
                padTokenId, initializerRange, architectures, id2label, extra);
    }

    /** A copy with another LayerNorm epsilon. */
    public BertConfig withLayerNormEps(double eps) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, eps,
                padTokenId, initializerRange, architectures, id2label, extra);
    }

    /** A copy with other dropout probabilities (hidden states, attention probabilities). */
    public BertConfig withDropout(double hidden, double attention) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hidden, attention, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId,
                initializerRange, architectures, id2label, extra);
    }

    /** A copy naming the model classes that can load it ({@code architectures}). */
    public BertConfig withArchitectures(List<String> names) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                layerNormEps, padTokenId, initializerRange, names, id2label, extra);
    }

    /**
     * A copy with a token-classification head over these labels, in id order, tagged in {@link #TAG_SCHEME}
     * (recorded as {@code "xner_tag_scheme": "IOB2"}: xner converts every corpus to IOB2 as it reads it).
     */
    public BertConfig withLabels(List<String> labels) {
        Map<String, JsonElement> withScheme = new java.util.TreeMap<>(extra);
        withScheme.put(TAG_SCHEME_KEY, new com.google.gson.JsonPrimitive(TAG_SCHEME));
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize,
                layerNormEps, padTokenId, initializerRange, architectures, labels, withScheme);
    }

    /** The {@code config.json} key that names the tag scheme of {@code id2label}. */
    public static final String TAG_SCHEME_KEY = "xner_tag_scheme";
    /** The one scheme models are trained, scored and decoded in. */
    public static final String TAG_SCHEME = "IOB2";

    /** The tag scheme {@code config.json} records, or IOB2 for a model made elsewhere (transformers writes none). */
    public String tagScheme() {
        JsonElement e = extra.get(TAG_SCHEME_KEY);
        return e == null || !e.isJsonPrimitive() ? TAG_SCHEME : e.getAsString();
    }

    /** Number of labels of the classification head ({@code num_labels}); 0 when the config names none. */
    public int numLabels() {
        return id2label.size();
    }

    /** Label ids by name ({@code label2id}). */
    public Map<String, Integer> label2id() {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < id2label.size(); i++) map.put(id2label.get(i), i);
        return map;
    }

    /** Width of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** Whether this is the RoBERTa / XLM-R architecture (positions after the padding id, {@code roberta.} names). */
    public boolean isRoberta() {
        return !"bert".equals(modelType);
    }

    /** The activation {@link #hiddenAct} names. */
    public HiddenActivation activation() {
        return HiddenActivation.of(hiddenAct);
    }

    // ---------------------------------------------------------------------------------------------------------
    // config.json

    /** Reads a {@code config.json}; a missing file or a bad value names the file and the key. */
    public static BertConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(file + ": no such file (a model directory needs config.json)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return fromJson(text, file.toString());
    }

    /** Parses the text of a {@code config.json}; {@code where} names it in error messages. */
    public static BertConfig fromJson(String json, String where) {
        JsonObject o;
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) throw new XnerInputException(where + ": expected a JSON object");
            o = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new XnerInputException(where + ": not valid JSON: " + e.getMessage());
        }
        try {
            String type = string(o, "model_type", "bert");
            BertConfig d = defaults(MODEL_TYPES.contains(type) ? type : "bert");
            String positions = string(o, "position_embedding_type", "absolute");
            if (!"absolute".equals(positions)) {
                throw new XnerInputException("position_embedding_type: unsupported \"" + positions
                        + "\" (xner supports absolute)");
            }
            List<String> labels = labels(o);
            Map<String, JsonElement> extra = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                if (!KNOWN_KEYS.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
            }
            return new BertConfig(type,
                    integer(o, "vocab_size", d.vocabSize),
                    integer(o, "hidden_size", d.hiddenSize),
                    integer(o, "num_hidden_layers", d.numHiddenLayers),
                    integer(o, "num_attention_heads", d.numAttentionHeads),
                    integer(o, "intermediate_size", d.intermediateSize),
                    string(o, "hidden_act", d.hiddenAct),
                    number(o, "hidden_dropout_prob", d.hiddenDropoutProb),
                    number(o, "attention_probs_dropout_prob", d.attentionProbsDropoutProb),
                    integer(o, "max_position_embeddings", d.maxPositionEmbeddings),
                    integer(o, "type_vocab_size", d.typeVocabSize),
                    number(o, "layer_norm_eps", d.layerNormEps),
                    integer(o, "pad_token_id", d.padTokenId),
                    number(o, "initializer_range", d.initializerRange),
                    strings(o, "architectures"),
                    labels,
                    extra);
        } catch (XnerInputException e) {
            throw new XnerInputException(where + ": " + e.getMessage(), e);
        }
    }

    /** This config as Hugging Face writes it: keys sorted, two-space indent. */
    public String toJson() {
        Map<String, JsonElement> keys = new TreeMap<>(extra);
        keys.put("model_type", new JsonPrimitive(modelType));
        keys.put("vocab_size", new JsonPrimitive(vocabSize));
        keys.put("hidden_size", new JsonPrimitive(hiddenSize));
        keys.put("num_hidden_layers", new JsonPrimitive(numHiddenLayers));
        keys.put("num_attention_heads", new JsonPrimitive(numAttentionHeads));
        keys.put("intermediate_size", new JsonPrimitive(intermediateSize));
        keys.put("hidden_act", new JsonPrimitive(hiddenAct));
        keys.put("hidden_dropout_prob", new JsonPrimitive(hiddenDropoutProb));
        keys.put("attention_probs_dropout_prob", new JsonPrimitive(attentionProbsDropoutProb));
        keys.put("max_position_embeddings", new JsonPrimitive(maxPositionEmbeddings));
        keys.put("type_vocab_size", new JsonPrimitive(typeVocabSize));
        keys.put("layer_norm_eps", new JsonPrimitive(layerNormEps));
        keys.put("pad_token_id", new JsonPrimitive(padTokenId));
        keys.put("initializer_range", new JsonPrimitive(initializerRange));
        keys.put("position_embedding_type", new JsonPrimitive("absolute"));
        if (!architectures.isEmpty()) {
            JsonArray names = new JsonArray();
            architectures.forEach(names::add);
            keys.put("architectures", names);
        }
        if (!id2label.isEmpty()) {
            JsonObject id2 = new JsonObject();
            JsonObject toId = new JsonObject();
            for (int i = 0; i < id2label.size(); i++) {
                id2.addProperty(Integer.toString(i), id2label.get(i));
                toId.addProperty(id2label.get(i), i);
            }
            keys.put("id2label", id2);
            keys.put("label2id", toId);
        }
        JsonObject o = new JsonObject();
        keys.forEach(o::add);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /** Writes {@link #toJson()} to a file. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    private static final java.util.Set<String> KNOWN_KEYS = java.util.Set.of("model_type", "vocab_size",
            "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
            "hidden_dropout_prob", "attention_probs_dropout_prob", "max_position_embeddings", "type_vocab_size",
            "layer_norm_eps", "pad_token_id", "initializer_range", "position_embedding_type", "architectures",
            "id2label", "label2id", "num_labels");

    // id2label has string keys "0".."n-1"; label2id, when present, must agree; num_labels alone gives
    // LABEL_0.. as transformers names them.
    private static List<String> labels(JsonObject o) {
        List<String> labels = new ArrayList<>();
        JsonElement id2 = o.get("id2label");
        if (id2 != null && !id2.isJsonNull()) {
            if (!id2.isJsonObject()) throw new XnerInputException("id2label: expected an object {\"0\": \"O\", ...}");
            Map<Integer, String> byId = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : id2.getAsJsonObject().entrySet()) {
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new XnerInputException("id2label: key \"" + e.getKey() + "\" is not a label id");
                }
                if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
                    throw new XnerInputException("id2label: \"" + e.getKey() + "\" must map to a label name");
                }
                byId.put(id, e.getValue().getAsString());
            }
            int expected = 0;
            for (int id : byId.keySet()) {
                if (id != expected++) throw new XnerInputException("id2label: ids must be 0.." + (byId.size() - 1)
                        + " without gaps, found " + byId.keySet());
            }
            labels.addAll(byId.values());
        }
        JsonElement n = o.get("num_labels");
        if (n != null && !n.isJsonNull()) {
            int count = integer(o, "num_labels", 0);
            if (labels.isEmpty()) {
                for (int i = 0; i < count; i++) labels.add("LABEL_" + i);
            } else if (count != labels.size()) {
                throw new XnerInputException("num_labels: " + count + " disagrees with id2label's " + labels.size()
                        + " labels");
            }
        }
        JsonElement toId = o.get("label2id");
        if (toId != null && toId.isJsonObject() && !labels.isEmpty()) {
            for (Map.Entry<String, JsonElement> e : toId.getAsJsonObject().entrySet()) {
                int id = labels.indexOf(e.getKey());
                JsonElement v = e.getValue();
                if (id < 0 || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsInt() != id) {
                    throw new XnerInputException("label2id: \"" + e.getKey() + "\": " + v
                            + " disagrees with id2label " + labels);
                }
            }
        }
        return labels;
    }

    private static String string(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new XnerInputException(key + ": expected a string, found " + e);
        }
        return e.getAsString();
    }

    private static int integer(JsonObject o, String key, int fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double value = e.getAsDouble();
            if (value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE) return (int) value;
        }
        throw new XnerInputException(key + ": expected an integer, found " + e);
    }

    private static double number(JsonObject o, String key, double fallback) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) return e.getAsDouble();
        throw new XnerInputException(key + ": expected a number, found " + e);
    }

    private static List<String> strings(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) return List.of();
        if (!e.isJsonArray()) throw new XnerInputException(key + ": expected a list of strings, found " + e);
        List<String> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new XnerInputException(key + ": expected a list of strings, found " + e);
            }
            out.add(item.getAsString());
        }
        return out;
    }
}
