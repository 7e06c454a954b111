package xner.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import xner.XnerInputException;

/**
 * BERT's WordPiece tokenizer, as Hugging Face's {@code BertTokenizerFast}: BERT's basic tokenizer (clean the
 * text, put spaces around CJK characters, split on whitespace and punctuation; lower-case and strip accents only
 * for uncased models), then greedy longest-match WordPiece with {@code ##} continuations, {@code [UNK]} for a
 * word that cannot be pieced together or is longer than 100 characters, and {@code [CLS] … [SEP]} around.
 *
 * <pre>{@code
 * try (var tokenizer = WordPieceTokenizer.fromVocab(Path.of("vocab.txt"))) {   // cased, like multilingual BERT
 *     tokenizer.encode("Jeff Dean ist ein Informatiker").tokens();
 *     // [CLS] Jeff Dean ist ein Info ##rmat ##iker [SEP]
 * }
 * }</pre>
 */
public final class WordPieceTokenizer extends NativeTokenizer {
    /** WordPiece's longest word in characters: a longer word becomes {@code [UNK]} (BERT's and Hugging Face's value). */
    public static final int MAX_INPUT_CHARS_PER_WORD = 100;

    private final boolean lowercase;

    private WordPieceTokenizer(String json, Vocabulary vocabulary, SpecialTokens special, int maxLength, Path origin, boolean lowercase) {
        super(json, vocabulary, special, maxLength, origin);
        this.lowercase = lowercase;
    }

    /** A cased tokenizer (multilingual BERT's kind) from a {@code vocab.txt}, truncating to 512 tokens. */
    public static WordPieceTokenizer fromVocab(Path vocabTxt) {
        return fromVocab(vocabTxt, false, SpecialTokens.BERT, DEFAULT_MAX_LENGTH);
    }

    /**
     * A tokenizer from a {@code vocab.txt} (one token a line; the line index is the id).
     *
     * @param lowercase true for uncased models: lower-case and strip accents, as BERT's {@code do_lower_case}
     * @param special   the special tokens, each of which must be in the vocabulary
     * @param maxLength the most tokens of an encoding, special tokens included
     */
    public static WordPieceTokenizer fromVocab(Path vocabTxt, boolean lowercase, SpecialTokens special, int maxLength) {
        List<String> lines = readVocab(vocabTxt);
        Vocabulary vocabulary = Vocabulary.ofLines(lines);
        for (String t : List.of(special.cls(), special.sep(), special.pad(), special.mask(), special.unk())) {
            if (!vocabulary.contains(t)) throw new XnerInputException(vocabTxt + ": special token " + t + " is not in the vocabulary");
        }
        String json = TokenizerJson.compact(tokenizerJson(vocabulary, lowercase, special));
        return new WordPieceTokenizer(json, vocabulary, special, maxLength, vocabTxt, lowercase);
    }

    /** A tokenizer from a {@code tokenizer.json} whose model is WordPiece (its text and its parsed form). */
    static WordPieceTokenizer fromTokenizerJson(String text, JsonObject json, Path file, SpecialTokens special, int maxLength) {
        boolean lowercase = false;
        JsonElement normalizer = json.get("normalizer");
        if (normalizer != null && normalizer.isJsonObject()) {
            JsonElement lc = normalizer.getAsJsonObject().get("lowercase");
            lowercase = lc != null && lc.isJsonPrimitive() && lc.getAsBoolean();
        }
        Vocabulary vocabulary = Vocabulary.of(json, file);
        TokenizerJson.checkPostProcessorIds(json, vocabulary.size(), file);
        // the library looks the unknown token up in model.vocab alone, when it first meets a word it cannot piece
        // together: one only in added_tokens loaded, then failed encoding ("Missing [UNK] token"; found fuzzing)
        JsonObject model = TokenizerJson.object(json, "model", file);
        JsonElement unk = model.get("unk_token");
        String unkToken = unk == null || unk.isJsonNull() ? "[UNK]" : TokenizerJson.string(model, "unk_token", "model.unk_token", file);
        JsonElement vocab = model.get("vocab");
        if (vocab == null || !vocab.isJsonObject() || !vocab.getAsJsonObject().has(unkToken)) {
            throw TokenizerJson.bad(file, "model.unk_token", "a token of model.vocab, found \"" + unkToken + "\"");
        }
        return new WordPieceTokenizer(text, vocabulary, special, maxLength, file, lowercase);
    }

    private static List<String> readVocab(Path vocabTxt) {
        try {
            List<String> lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
            if (lines.isEmpty()) throw new XnerInputException(vocabTxt + ": empty vocabulary");
            if (!lines.get(0).isEmpty() && lines.get(0).charAt(0) == '\uFEFF') {
                throw new XnerInputException(vocabTxt + ":1: starts with a byte-order mark (save the file as UTF-8 without BOM)");
            }
            return lines;
        } catch (NoSuchFileException e) {
            throw new XnerInputException(vocabTxt + ": no such file");
        } catch (CharacterCodingException e) {
            throw new XnerInputException(vocabTxt + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code tokenizer.json} Hugging Face's {@code BertConverter} makes from a {@code vocab.txt}: WordPiece
     * model, {@code BertNormalizer}, {@code BertPreTokenizer}, {@code [CLS] $A [SEP]} template, WordPiece decoder.
     */
    static JsonObject tokenizerJson(Vocabulary vocabulary, boolean lowercase, SpecialTokens special) {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);

        // the special tokens, matched in raw text before normalization ("[MASK]" typed in a prompt is the mask)
        JsonArray added = new JsonArray();
        List<String> specials = List.of(special.pad(), special.unk(), special.cls(), special.sep(), special.mask());
        specials.stream().distinct().sorted((a, b) -> Integer.compare(vocabulary.id(a), vocabulary.id(b)))
                .forEach(t -> added.add(TokenizerJson.addedToken(vocabulary.id(t), t, false)));
        root.add("added_tokens", added);

        JsonObject normalizer = new JsonObject();
        normalizer.addProperty("type", "BertNormalizer");
        normalizer.addProperty("clean_text", true);
        normalizer.addProperty("handle_chinese_chars", true);
        if (lowercase) normalizer.add("strip_accents", JsonNull.INSTANCE); // null: follow lowercase, as BERT uncased
        else normalizer.addProperty("strip_accents", false);
        normalizer.addProperty("lowercase", lowercase);
        root.add("normalizer", normalizer);

        JsonObject preTokenizer = new JsonObject();
        preTokenizer.addProperty("type", "BertPreTokenizer");
        root.add("pre_tokenizer", preTokenizer);

        root.add("post_processor", TokenizerJson.template(
                special.cls() + " $A " + special.sep(),
                special.cls() + " $A " + special.sep() + " $B " + special.sep(), 1,
                List.of(special.cls(), special.sep()),
                List.of(vocabulary.id(special.cls()), vocabulary.id(special.sep()))));

        JsonObject decoder = new JsonObject();
        decoder.addProperty("type", "WordPiece");
        decoder.addProperty("prefix", "##");
        decoder.addProperty("cleanup", true);
        root.add("decoder", decoder);

        JsonObject model = new JsonObject();
        model.addProperty("type", "WordPiece");
        model.addProperty("unk_token", special.unk());
        model.addProperty("continuing_subword_prefix", "##");
        model.addProperty("max_input_chars_per_word", MAX_INPUT_CHARS_PER_WORD);
        JsonObject vocab = new JsonObject();
        List<String> tokens = vocabulary.tokensInIdOrder();
        for (int id = 0; id < tokens.size(); id++) {
            if (vocabulary.id(tokens.get(id)) == id) vocab.addProperty(tokens.get(id), id); // a repeated line keeps its last id
        }
        model.add("vocab", vocab);
        root.add("model", model);
        return root;
    }

    @Override
    JsonObject tokenizerConfig() {
        JsonObject config = new JsonObject();
        config.addProperty("tokenizer_class", "BertTokenizer");
        config.addProperty("do_lower_case", lowercase);
        config.addProperty("tokenize_chinese_chars", true);
        config.add("strip_accents", JsonNull.INSTANCE);
        config.addProperty("clean_up_tokenization_spaces", true);
        return config;
    }

    @Override
    void saveVocabularyFile(Path dir) throws IOException {
        Files.write(dir.resolve("vocab.txt"), vocabulary().tokensInIdOrder(), StandardCharsets.UTF_8);
    }

    /** Whether this tokenizer lower-cases (an uncased model). */
    public boolean lowercase() {
        return lowercase;
    }
}
