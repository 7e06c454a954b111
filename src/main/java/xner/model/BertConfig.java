package xner.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import xner.XnerInputException;
import xner.io.JsonOutput;
import xner.io.StrictJson;
import xner.io.StrictText;

/**
 * The hyperparameters of a BERT-family encoder, as Hugging Face's {@code config.json} holds them.
 *
 * <p>Keys a file leaves out take Hugging Face's defaults ({@code BertConfig}, {@code XLMRobertaConfig} for
 * {@code model_type} {@code xlm-roberta} / {@code roberta} / {@code camembert}, {@code DistilBertConfig} for
 * {@code distilbert}); keys xner does not use are kept in {@link #extra} and written back unchanged. {@code id2label}
 * (label names in id order) is empty unless the config carries a token-classification head.
 *
 * <p>DistilBERT's {@code config.json} names the same sizes otherwise ({@code dim}, {@code n_layers}, {@code n_heads},
 * {@code hidden_dim}, {@code activation}, {@code dropout}, {@code attention_dropout}): they are read into the
 * components of the same meaning and written back under DistilBERT's names. DistilBERT has no token types and its
 * LayerNorms' epsilon is fixed at 1e-12; {@link #typeVocabSize} and {@link #layerNormEps} keep their defaults for it
 * and are not written.
 *
 * @param modelType {@code bert}, {@code xlm-roberta}, {@code roberta}, {@code camembert} or {@code distilbert}
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

    /** The most labels {@code num_labels} alone may ask for (transformers names them LABEL_0, LABEL_1, ...). */
    public static final int MAX_LABELS = 1 << 16;

    /** The {@code model_type} values xner can build an encoder for. */
    public static final List<String> MODEL_TYPES = List.of("bert", "xlm-roberta", "roberta", "camembert", "distilbert");

    /** DistilBERT's {@code config.json} names for the keys of {@link #KEYS} it names otherwise. */
    private static final Map<String, String> DISTILBERT_KEYS = Map.of(
            "hidden_size", "dim", "num_hidden_layers", "n_layers", "num_attention_heads", "n_heads",
            "intermediate_size", "hidden_dim", "hidden_act", "activation", "hidden_dropout_prob", "dropout",
            "attention_probs_dropout_prob", "attention_dropout");
    /** Keys of {@link #KEYS} that a DistilBERT config has not: fixed by its architecture. */
    private static final Set<String> DISTILBERT_ABSENT = Set.of("type_vocab_size", "layer_norm_eps");

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
        if (isRoberta()) {
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

    /** Hugging Face's defaults for a model type (BERT-base sizes; XLM-R's padding id 1): every key's default. */
    public static BertConfig defaults(String modelType) {
        Builder b = new Builder();
        for (Key<?> key : KEYS) key.setDefault(b, modelType);
        return b.build();
    }

    /** A builder that starts from this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy with other sizes: vocabulary, hidden width, layers, attention heads, feed-forward width. */
    public BertConfig withSizes(int vocab, int hidden, int layers, int heads, int intermediate) {
        return toBuilder().vocabSize(vocab).hiddenSize(hidden).numHiddenLayers(layers).numAttentionHeads(heads)
                .intermediateSize(intermediate).build();
    }

    /** A copy with other position and token-type table sizes. */
    public BertConfig withEmbeddingTables(int maxPositions, int typeVocab) {
        return toBuilder().maxPositionEmbeddings(maxPositions).typeVocabSize(typeVocab).build();
    }

    /** A copy naming the model classes that can load it ({@code architectures}). */
    public BertConfig withArchitectures(List<String> names) {
        return toBuilder().architectures(names).build();
    }

    /**
     * A copy with a token-classification head over these labels, in id order, tagged in {@link #TAG_SCHEME}
     * (recorded as {@code "xner_tag_scheme": "IOB2"}: xner converts every corpus to IOB2 as it reads it).
     */
    public BertConfig withLabels(List<String> labels) {
        Map<String, JsonElement> withScheme = new TreeMap<>(extra);
        withScheme.put(TAG_SCHEME_KEY, new JsonPrimitive(TAG_SCHEME));
        return toBuilder().id2label(labels).extra(withScheme).build();
    }

    /**
     * Builds a {@link BertConfig} one value at a time; {@link #build()} checks them all. Start from
     * {@link BertConfig#defaults(String)} or {@link BertConfig#toBuilder()}.
     */
    public static final class Builder {
        private String modelType;
        private int vocabSize;
        private int hiddenSize;
        private int numHiddenLayers;
        private int numAttentionHeads;
        private int intermediateSize;
        private String hiddenAct;
        private double hiddenDropoutProb;
        private double attentionProbsDropoutProb;
        private int maxPositionEmbeddings;
        private int typeVocabSize;
        private double layerNormEps;
        private int padTokenId;
        private double initializerRange;
        private List<String> architectures = List.of();
        private List<String> id2label = List.of();
        private Map<String, JsonElement> extra = Map.of();

        private Builder() {}

        private Builder(BertConfig c) {
            modelType = c.modelType;
            vocabSize = c.vocabSize;
            hiddenSize = c.hiddenSize;
            numHiddenLayers = c.numHiddenLayers;
            numAttentionHeads = c.numAttentionHeads;
            intermediateSize = c.intermediateSize;
            hiddenAct = c.hiddenAct;
            hiddenDropoutProb = c.hiddenDropoutProb;
            attentionProbsDropoutProb = c.attentionProbsDropoutProb;
            maxPositionEmbeddings = c.maxPositionEmbeddings;
            typeVocabSize = c.typeVocabSize;
            layerNormEps = c.layerNormEps;
            padTokenId = c.padTokenId;
            initializerRange = c.initializerRange;
            architectures = c.architectures;
            id2label = c.id2label;
            extra = c.extra;
        }

        public Builder modelType(String v) { modelType = v; return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder hiddenSize(int v) { hiddenSize = v; return this; }
        public Builder numHiddenLayers(int v) { numHiddenLayers = v; return this; }
        public Builder numAttentionHeads(int v) { numAttentionHeads = v; return this; }
        public Builder intermediateSize(int v) { intermediateSize = v; return this; }
        public Builder hiddenAct(String v) { hiddenAct = v; return this; }
        public Builder hiddenDropoutProb(double v) { hiddenDropoutProb = v; return this; }
        public Builder attentionProbsDropoutProb(double v) { attentionProbsDropoutProb = v; return this; }
        public Builder maxPositionEmbeddings(int v) { maxPositionEmbeddings = v; return this; }
        public Builder typeVocabSize(int v) { typeVocabSize = v; return this; }
        public Builder layerNormEps(double v) { layerNormEps = v; return this; }
        public Builder padTokenId(int v) { padTokenId = v; return this; }
        public Builder initializerRange(double v) { initializerRange = v; return this; }
        public Builder architectures(List<String> v) { architectures = v; return this; }
        public Builder id2label(List<String> v) { id2label = v; return this; }
        public Builder extra(Map<String, JsonElement> v) { extra = v; return this; }

        /** The config, checked as the record's constructor checks it. */
        public BertConfig build() {
            return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                    intermediateSize, hiddenAct, hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings,
                    typeVocabSize, layerNormEps, padTokenId, initializerRange, architectures, id2label, extra);
        }
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

    /** The {@code config.json} key of the temperature that calibrates the head's probabilities (xner's; 1 if absent). */
    public static final String TEMPERATURE_KEY = "xner_temperature";

    /**
     * The temperature the logits are divided by before softmax, fitted on validation data after training so that a
     * score of 0.9 is right nine times in ten (Guo et al. 2017); 1 for a model never calibrated. It changes no
     * argmax: tags and F1 stay the same.
     */
    public double temperature() {
        JsonElement e = extra.get(TEMPERATURE_KEY);
        if (e == null) return 1;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || !(e.getAsDouble() > 0) || Double.isInfinite(e.getAsDouble())) {
            throw new XnerInputException("config.json: " + TEMPERATURE_KEY + " must be a positive number, was " + e);
        }
        return e.getAsDouble();
    }

    /** This config with a calibration temperature. */
    public BertConfig withTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature " + temperature);
        Map<String, JsonElement> keys = new TreeMap<>(extra);
        keys.put(TEMPERATURE_KEY, new JsonPrimitive(temperature));
        return toBuilder().extra(keys).build();
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

    /**
     * Whether this is the RoBERTa architecture (positions after the padding id, {@code roberta.} names): XLM-R, RoBERTa
     * and CamemBERT.
     */
    public boolean isRoberta() {
        return "xlm-roberta".equals(modelType) || "roberta".equals(modelType) || "camembert".equals(modelType);
    }

    /** Whether this is DistilBERT (no token types, {@code distilbert.transformer.layer.N} names). */
    public boolean isDistilBert() {
        return "distilbert".equals(modelType);
    }

    /** The activation {@link #hiddenAct} names. */
    public HiddenActivation activation() {
        return HiddenActivation.of(hiddenAct);
    }

    // ---------------------------------------------------------------------------------------------------------
    // config.json

    /** Reads a {@code config.json}; a missing file or a bad value names the file and the key. */
    public static BertConfig read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(file + ": no such file (a model directory needs config.json)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return fromJson(StrictText.utf8(bytes), file.toString());
        } catch (StrictText.NotText e) {
            // JSON is UTF-8 (RFC 8259); Files.readString said only "Input length = 1", through an UncheckedIOException
            throw new XnerInputException(file + ": " + e.getMessage());
        }
    }

    /** Parses the text of a {@code config.json}; {@code where} names it in error messages. */
    public static BertConfig fromJson(String json, String where) {
        JsonObject o = StrictJson.parseObject(json, where);
        try {
            String type = JsonType.STRING.read(o, "model_type");
            if ("distilbert".equals(type)) o = withBertKeys(o);
            Builder b = defaults(type != null && MODEL_TYPES.contains(type) ? type : "bert").toBuilder();
            String positions = JsonType.STRING.read(o, "position_embedding_type");
            if (positions != null && !"absolute".equals(positions)) {
                throw new XnerInputException("position_embedding_type: unsupported \"" + positions
                        + "\" (xner supports absolute)");
            }
            b.id2label(labels(o));
            for (Key<?> key : KEYS) key.read(o, b);
            Map<String, JsonElement> extra = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                if (!KNOWN_KEYS.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
            }
            return b.extra(extra).build();
        } catch (XnerInputException e) {
            throw new XnerInputException(where + ": " + e.getMessage(), e);
        }
    }

    /** A DistilBERT config's object with BERT's key names, which {@link #KEYS} reads. */
    private static JsonObject withBertKeys(JsonObject distilbert) {
        JsonObject o = new JsonObject();
        Map<String, String> bertName = new java.util.HashMap<>();
        DISTILBERT_KEYS.forEach((bert, distil) -> bertName.put(distil, bert));
        for (Map.Entry<String, JsonElement> e : distilbert.entrySet()) {
            if (DISTILBERT_ABSENT.contains(e.getKey()) || DISTILBERT_KEYS.containsKey(e.getKey())) continue; // not DistilBERT's
            o.add(bertName.getOrDefault(e.getKey(), e.getKey()), e.getValue());
        }
        return o;
    }

    /** This config as Hugging Face writes it: keys sorted, two-space indent. */
    public String toJson() {
        Map<String, JsonElement> keys = new TreeMap<>(extra);
        for (Key<?> key : KEYS) {
            if (isDistilBert() && DISTILBERT_ABSENT.contains(key.name())) continue;
            Map<String, JsonElement> one = new TreeMap<>();
            key.write(this, one);
            one.forEach((name, value) -> keys.put(isDistilBert() ? DISTILBERT_KEYS.getOrDefault(name, name) : name, value));
        }
        if (!isDistilBert()) keys.put("position_embedding_type", new JsonPrimitive("absolute"));
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
        return JsonOutput.PRETTY.toJson(o) + "\n";
    }

    /** Writes {@link #toJson()} to a file. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /**
     * The keys of {@code config.json} that hold one component each, with Hugging Face's default for a model
     * type; {@link #defaults}, {@link #fromJson} and {@link #toJson} all walk this table. The label keys
     * ({@code id2label}, {@code label2id}, {@code num_labels}) and {@code position_embedding_type} (always
     * {@code absolute}) are read and written by hand.
     */
    private static final List<Key<?>> KEYS = List.of(
            new Key<>("model_type", JsonType.STRING, type -> type, BertConfig::modelType, Builder::modelType),
            new Key<>("vocab_size", JsonType.INTEGER, type -> 30522, BertConfig::vocabSize, Builder::vocabSize),
            new Key<>("hidden_size", JsonType.INTEGER, type -> 768, BertConfig::hiddenSize, Builder::hiddenSize),
            new Key<>("num_hidden_layers", JsonType.INTEGER, type -> "distilbert".equals(type) ? 6 : 12,
                    BertConfig::numHiddenLayers, Builder::numHiddenLayers),
            new Key<>("num_attention_heads", JsonType.INTEGER, type -> 12,
                    BertConfig::numAttentionHeads, Builder::numAttentionHeads),
            new Key<>("intermediate_size", JsonType.INTEGER, type -> 3072,
                    BertConfig::intermediateSize, Builder::intermediateSize),
            new Key<>("hidden_act", JsonType.STRING, type -> "gelu", BertConfig::hiddenAct, Builder::hiddenAct),
            new Key<>("hidden_dropout_prob", JsonType.NUMBER, type -> 0.1,
                    BertConfig::hiddenDropoutProb, Builder::hiddenDropoutProb),
            new Key<>("attention_probs_dropout_prob", JsonType.NUMBER, type -> 0.1,
                    BertConfig::attentionProbsDropoutProb, Builder::attentionProbsDropoutProb),
            new Key<>("max_position_embeddings", JsonType.INTEGER, type -> 512,
                    BertConfig::maxPositionEmbeddings, Builder::maxPositionEmbeddings),
            new Key<>("type_vocab_size", JsonType.INTEGER, type -> 2,
                    BertConfig::typeVocabSize, Builder::typeVocabSize),
            new Key<>("layer_norm_eps", JsonType.NUMBER, type -> 1e-12,
                    BertConfig::layerNormEps, Builder::layerNormEps),
            new Key<>("pad_token_id", JsonType.INTEGER, // the RoBERTa family pads with 1
                    type -> "bert".equals(type) || "distilbert".equals(type) ? 0 : 1,
                    BertConfig::padTokenId, Builder::padTokenId),
            new Key<>("initializer_range", JsonType.NUMBER, type -> 0.02,
                    BertConfig::initializerRange, Builder::initializerRange),
            new Key<>("architectures", JsonType.STRINGS, type -> List.of(),
                    BertConfig::architectures, Builder::architectures));

    /** Keys this record reads; every other key of a file goes to {@link #extra}. */
    private static final Set<String> KNOWN_KEYS = Stream.concat(KEYS.stream().map(Key::name),
            Stream.of("position_embedding_type", "id2label", "label2id", "num_labels")).collect(Collectors.toSet());

    /**
     * One key of {@code config.json}: its name, how its value is held in JSON, its default for a model type,
     * and the record component that holds it.
     */
    private record Key<T>(String name, JsonType<T> json, Function<String, T> defaultFor,
                          Function<BertConfig, T> get, BiConsumer<Builder, T> set) {
        void setDefault(Builder b, String modelType) {
            set.accept(b, defaultFor.apply(modelType));
        }

        /** Sets the file's value, when it has one; the builder keeps the default otherwise. */
        void read(JsonObject o, Builder b) {
            T value = json.read(o, name);
            if (value != null) set.accept(b, value);
        }

        void write(BertConfig config, Map<String, JsonElement> keys) {
            JsonElement e = json.write().apply(get.apply(config));
            if (e != null) keys.put(name, e);
        }
    }

    /**
     * How a value is held in JSON: {@code parse} reads a present, non-null element (a wrong type names the
     * key), {@code write} makes the element, or null for a value left out of the file (an empty list).
     */
    private record JsonType<T>(BiFunction<String, JsonElement, T> parse, Function<T, JsonElement> write) {
        static final JsonType<String> STRING = new JsonType<>((key, e) -> {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new XnerInputException(key + ": expected a string, found " + e);
            }
            return e.getAsString();
        }, JsonPrimitive::new);

        static final JsonType<Integer> INTEGER = new JsonType<>((key, e) -> {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double value = e.getAsDouble();
                if (value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE) return (int) value;
            }
            throw new XnerInputException(key + ": expected an integer, found " + e);
        }, JsonPrimitive::new);

        static final JsonType<Double> NUMBER = new JsonType<>((key, e) -> {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) return e.getAsDouble();
            throw new XnerInputException(key + ": expected a number, found " + e);
        }, JsonPrimitive::new);

        static final JsonType<List<String>> STRINGS = new JsonType<>((key, e) -> {
            if (!e.isJsonArray()) throw new XnerInputException(key + ": expected a list of strings, found " + e);
            List<String> out = new ArrayList<>();
            for (JsonElement item : e.getAsJsonArray()) {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                    throw new XnerInputException(key + ": expected a list of strings, found " + e);
                }
                out.add(item.getAsString());
            }
            return out;
        }, list -> {
            if (list.isEmpty()) return null;
            JsonArray names = new JsonArray();
            list.forEach(names::add);
            return names;
        });

        /** The value under a key, or null when the key is absent or null. */
        T read(JsonObject o, String key) {
            JsonElement e = o.get(key);
            return e == null || e.isJsonNull() ? null : parse.apply(key, e);
        }
    }

    // id2label has string keys "0".."n-1"; label2id, when present, must agree; num_labels alone gives
    // LABEL_0.. as transformers names them.
    private static List<String> labels(JsonObject o) {
        List<String> labels = new ArrayList<>();
        JsonElement id2 = o.get("id2label");
        if (id2 != null && !id2.isJsonNull()) {
            if (!id2.isJsonObject()) throw new XnerInputException("id2label: expected an object {\"0\": \"O\", ...}");
            Map<Integer, String> byId = new TreeMap<>();
            Map<Integer, String> keys = new HashMap<>();
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
                String other = keys.put(id, e.getKey());
                if (other != null) {
                    throw new XnerInputException("id2label: keys \"" + other + "\" and \"" + e.getKey() + "\" are both id " + id);
                }
                byId.put(id, e.getValue().getAsString());
            }
            int expected = 0;
            for (int id : byId.keySet()) {
                if (id != expected) throw new XnerInputException("id2label: ids must be 0.." + (byId.size() - 1)
                        + " without gaps, found " + id + " where " + expected + " was due");
                expected++;
            }
            labels.addAll(byId.values());
        }
        Integer count = JsonType.INTEGER.read(o, "num_labels");
        if (count != null) {
            if (labels.isEmpty()) {
                // LABEL_0.. made here, not read: bounded, so that a few bytes cannot ask for billions of names
                if (count > MAX_LABELS) {
                    throw new XnerInputException("num_labels: " + count + " labels, more than xner takes (" + MAX_LABELS + ")");
                }
                for (int i = 0; i < count; i++) labels.add("LABEL_" + i);
            } else if (count != labels.size()) {
                throw new XnerInputException("num_labels: " + count + " disagrees with id2label's " + labels.size()
                        + " labels");
            }
        }
        JsonElement toId = o.get("label2id");
        if (toId != null && toId.isJsonObject() && !labels.isEmpty()) {
            // by name in a map: a search of the list per entry took minutes for tens of thousands of labels (found fuzzing)
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < labels.size(); i++) ids.putIfAbsent(labels.get(i), i);
            for (Map.Entry<String, JsonElement> e : toId.getAsJsonObject().entrySet()) {
                Integer id = ids.get(e.getKey());
                JsonElement v = e.getValue();
                // compared as a double: Gson's getAsInt throws NumberFormatException on 1e99999
                if (id == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsDouble() != id) {
                    throw new XnerInputException("label2id: \"" + e.getKey() + "\": " + v + " disagrees with id2label, where "
                            + (id == null ? "it is not a label" : "it has id " + id));
                }
            }
        }
        return labels;
    }
}
