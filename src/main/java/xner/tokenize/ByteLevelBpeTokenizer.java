package xner.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * RoBERTa's byte-level BPE tokenizer, as Hugging Face's {@code RobertaTokenizerFast}, from the model's own
 * {@code tokenizer.json} (BPE model, ByteLevel pre-tokenizer: a word's leading space becomes {@code Ġ} and belongs to
 * the word; {@code <s> … </s>} around).
 *
 * <p>A text is encoded as the {@code tokenizer.json} says, as the pipeline encodes it. Words already split are encoded
 * with a space before each, as transformers insists for RoBERTa ({@code add_prefix_space=True} with
 * {@code is_split_into_words}, which {@code run_ner.py} sets): without it each word would be tokenized as if it began
 * the text ({@code Dean} rather than {@code ĠDean}), unlike every word but the first of a text.
 */
public final class ByteLevelBpeTokenizer extends NativeTokenizer {
    private final HuggingFaceTokenizer words;

    private ByteLevelBpeTokenizer(String json, Vocabulary vocabulary, SpecialTokens special, int maxLength, Path origin,
            String wordsJson) {
        super(json, vocabulary, special, maxLength, origin);
        HuggingFaceTokenizer forWords;
        try {
            forWords = open(wordsJson, maxLength, origin);
        } catch (RuntimeException e) {
            super.close();
            throw e;
        }
        this.words = forWords;
    }

    /** A tokenizer from a {@code tokenizer.json} whose model is BPE (its text and its parsed form). */
    static ByteLevelBpeTokenizer fromTokenizerJson(String text, JsonObject json, Path file, SpecialTokens special, int maxLength) {
        JsonObject withPrefixSpace = json.deepCopy();
        addPrefixSpace(withPrefixSpace.get("pre_tokenizer"));
        addPrefixSpace(withPrefixSpace.get("post_processor"));
        return new ByteLevelBpeTokenizer(text, Vocabulary.of(json, file), special, maxLength, file,
                TokenizerJson.compact(withPrefixSpace));
    }

    /** Sets {@code add_prefix_space} on a ByteLevel pre-tokenizer or RoBERTa post-processor, also inside a Sequence. */
    private static void addPrefixSpace(JsonElement step) {
        if (step == null || !step.isJsonObject()) return;
        JsonObject o = step.getAsJsonObject();
        if (o.has("add_prefix_space")) o.addProperty("add_prefix_space", true);
        for (String list : new String[] {"pretokenizers", "processors"}) {
            if (o.get(list) != null && o.get(list).isJsonArray()) o.getAsJsonArray(list).forEach(ByteLevelBpeTokenizer::addPrefixSpace);
        }
    }

    @Override
    HuggingFaceTokenizer forWords() {
        return words;
    }

    @Override
    JsonObject tokenizerConfig() {
        JsonObject config = new JsonObject();
        config.addProperty("tokenizer_class", "RobertaTokenizer");
        config.addProperty("trim_offsets", true);
        return config;
    }

    @Override
    void saveVocabularyFile(java.nio.file.Path dir) {
        // tokenizer.json holds the vocabulary and the merges; RobertaTokenizerFast reads it alone
    }

    @Override
    public void close() {
        words.close();
        super.close();
    }
}
