package xner.tokenize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import xner.XnerInputException;

/**
 * Loads the tokenizer of a Hugging Face model directory, choosing the implementation from the files there, as
 * {@code AutoTokenizer} does: a {@code tokenizer.json} by its model type (WordPiece → {@link WordPieceTokenizer},
 * Unigram → {@link SentencePieceTokenizer}, BPE → {@link ByteLevelBpeTokenizer}); else a {@code vocab.txt} (WordPiece); else a
 * {@code sentencepiece.bpe.model} (converted as XLM-R's). {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}, when present, give the maximum length, lower-casing and special tokens.
 */
public final class Tokenizers {
    /** A {@code model_max_length} above this is Hugging Face's "no limit" placeholder (1e30), not a length. */
    private static final double NO_LIMIT = 1_000_000;

    private Tokenizers() {}

    /**
     * The tokenizer of {@code dir} (or of one tokenizer file), truncating to {@code tokenizer_config.json}'s
     * {@code model_max_length}, or to {@value Tokenizer#DEFAULT_MAX_LENGTH} tokens when it gives none.
     */
    public static Tokenizer load(Path dir) {
        return load(dir, 0);
    }

    /**
     * The {@code model_max_length} of {@code dir}'s {@code tokenizer_config.json} (or of the one beside a tokenizer
     * file), or {@value Tokenizer#DEFAULT_MAX_LENGTH} when it gives none: the length {@link #load(Path)} truncates to.
     */
    public static int modelMaxLength(Path dir) {
        Path folder = Files.isRegularFile(dir) ? dir.toAbsolutePath().getParent() : dir;
        Path file = folder.resolve("tokenizer_config.json");
        return configuredMaxLength(optionalJson(file), file);
    }

    /**
     * Rows a model's embedding may have beyond its tokenizer's vocabulary: tables padded to a multiple of 64 or
     * 128 for speed ({@code pad_to_multiple_of}) have such unused rows; more means another model's tokenizer.
     */
    static final int UNUSED_EMBEDDING_ROWS = 128;

    /**
     * The tokenizer of {@code dir} (or of one tokenizer file), truncating to {@code maxLength} tokens. When the
     * folder is a model's ({@code config.json} with {@code vocab_size}), the vocabulary must fit its embedding.
     */
    public static Tokenizer load(Path dir, int maxLength) {
        Tokenizer tokenizer = loadFiles(dir, maxLength);
        try {
            checkFitsTheModel(tokenizer, Files.isRegularFile(dir) ? dir.toAbsolutePath().getParent() : dir);
            return tokenizer;
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * A vocabulary longer than the embedding makes ids past its last row ("index out of range" when tagging); a
     * much shorter one is another model's, mapping words to the wrong rows or to [UNK] without a word.
     */
    private static void checkFitsTheModel(Tokenizer tokenizer, Path dir) {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) return;
        JsonElement rows = optionalJson(configFile).get("vocab_size");
        if (rows == null || !rows.isJsonPrimitive() || !rows.getAsJsonPrimitive().isNumber()) return; // the model's loader names it
        double rowCount = rows.getAsDouble(); // Gson's getAsLong throws NumberFormatException on 1e99999
        if (rowCount != Math.rint(rowCount) || rowCount < 0 || rowCount > Integer.MAX_VALUE) return; // the model's loader names it
        long embedding = (long) rowCount;
        int vocabulary = tokenizer.vocabSize();
        if (vocabulary > embedding || vocabulary + UNUSED_EMBEDDING_ROWS < embedding) {
            throw new XnerInputException(dir + ": the tokenizer (" + tokenizerFiles(dir) + ") has " + vocabulary
                    + " tokens but " + configFile.getFileName() + "'s vocab_size, the rows of the word embedding, is " + embedding
                    + (vocabulary > embedding ? ": ids from " + embedding + " on would be out of range"
                            : ": words would map to rows of another vocabulary")
                    + "; the tokenizer files must be the model's own");
        }
    }

    private static String tokenizerFiles(Path dir) {
        StringBuilder found = new StringBuilder();
        for (String name : new String[] {"tokenizer.json", "vocab.txt", SentencePieceTokenizer.MODEL_FILE}) {
            if (Files.isRegularFile(dir.resolve(name))) found.append(found.isEmpty() ? "" : ", ").append(name);
        }
        return found.toString();
    }

    private static Tokenizer loadFiles(Path dir, int maxLength) {
        Path file = null;
        if (Files.isRegularFile(dir)) {
            file = dir;
            dir = dir.toAbsolutePath().getParent();
        } else if (!Files.isDirectory(dir)) {
            throw new XnerInputException(dir + ": no such directory");
        }
        JsonObject config = optionalJson(dir.resolve("tokenizer_config.json"));
        if (maxLength <= 0) maxLength = configuredMaxLength(config, dir.resolve("tokenizer_config.json"));

        Path json = dir.resolve("tokenizer.json");
        Path vocab = dir.resolve("vocab.txt");
        Path spm = dir.resolve(SentencePieceTokenizer.MODEL_FILE);
        String name = file == null ? null : file.getFileName().toString();
        if (name != null && !name.equals("tokenizer.json") && !name.equals("vocab.txt") && !name.endsWith(".model")) {
            throw new XnerInputException(file + ": not a tokenizer file (tokenizer.json, vocab.txt or a SentencePiece .model)");
        }
        if (name == null ? Files.isRegularFile(json) : name.equals("tokenizer.json")) {
            String text = read(json);
            JsonObject parsed = TokenizerJson.parseForNative(text, json);
            String type = TokenizerJson.string(TokenizerJson.object(parsed, "model", json), "type", "model.type", json);
            switch (type) {
                case "WordPiece":
                    return WordPieceTokenizer.fromTokenizerJson(text, parsed, json, specialTokens(dir, config, SpecialTokens.BERT), maxLength);
                case "Unigram":
                    byte[] model = null;
                    try {
                        if (Files.isRegularFile(spm)) model = Files.readAllBytes(spm);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return SentencePieceTokenizer.fromTokenizerJson(text, parsed, json, specialTokens(dir, config, SpecialTokens.XLM_R),
                            maxLength, model);
                case "BPE":
                    return ByteLevelBpeTokenizer.fromTokenizerJson(text, parsed, json, specialTokens(dir, config, SpecialTokens.XLM_R), maxLength);
                default:
                    throw new XnerInputException(json + ": field model.type: \"" + type
                            + "\" is not supported (WordPiece for BERT and DistilBERT, Unigram for XLM-R and CamemBERT, BPE for RoBERTa)");
            }
        }
        if (name == null ? Files.isRegularFile(vocab) : name.equals("vocab.txt")) {
            boolean lowercase = config.has("do_lower_case") && config.get("do_lower_case").isJsonPrimitive()
                    && config.get("do_lower_case").getAsBoolean();
            return WordPieceTokenizer.fromVocab(vocab, lowercase, specialTokens(dir, config, SpecialTokens.BERT), maxLength);
        }
        Path model = name != null ? file : Files.isRegularFile(spm) ? spm : null;
        if (model != null) {
            // converted as XLM-R's: CamemBERT numbers its pieces otherwise (<s>NOTUSED, <unk>NOTUSED, ...), so its ids
            // would be wrong; its tokenizer.json has them right
            JsonElement type = optionalJson(dir.resolve("config.json")).get("model_type");
            if (type != null && type.isJsonPrimitive() && type.getAsString().equals("camembert")) {
                throw new XnerInputException(model + ": CamemBERT's SentencePiece model is numbered otherwise than XLM-R's, "
                        + "the one conversion xner makes; give the model's tokenizer.json");
            }
            return SentencePieceTokenizer.fromSentencePieceModel(model, maxLength);
        }
        throw new XnerInputException(dir + ": no tokenizer files: expected tokenizer.json, vocab.txt or "
                + SentencePieceTokenizer.MODEL_FILE);
    }

    private static int configuredMaxLength(JsonObject config, Path file) {
        JsonElement e = config.get("model_max_length");
        if (e == null || e.isJsonNull()) return Tokenizer.DEFAULT_MAX_LENGTH;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw TokenizerJson.bad(file, "model_max_length", "a number");
        double v = e.getAsDouble();
        if (v > NO_LIMIT) return Tokenizer.DEFAULT_MAX_LENGTH;
        if (v < 2 || v != Math.rint(v)) throw TokenizerJson.bad(file, "model_max_length", "a whole number >= 2, found " + e);
        return (int) v;
    }

    /** The special tokens named in {@code special_tokens_map.json}, else in {@code tokenizer_config.json}, else the defaults. */
    private static SpecialTokens specialTokens(Path dir, JsonObject config, SpecialTokens defaults) {
        Path mapFile = dir.resolve("special_tokens_map.json");
        JsonObject map = optionalJson(mapFile);
        Path configFile = dir.resolve("tokenizer_config.json");
        return new SpecialTokens(
                pick(map, mapFile, config, configFile, "cls_token", defaults.cls()),
                pick(map, mapFile, config, configFile, "sep_token", defaults.sep()),
                pick(map, mapFile, config, configFile, "pad_token", defaults.pad()),
                pick(map, mapFile, config, configFile, "mask_token", defaults.mask()),
                pick(map, mapFile, config, configFile, "unk_token", defaults.unk()));
    }

    private static String pick(JsonObject map, Path mapFile, JsonObject config, Path configFile, String key, String fallback) {
        String v = nonEmpty(TokenizerJson.tokenString(map, key, mapFile), mapFile, key);
        if (v == null) v = nonEmpty(TokenizerJson.tokenString(config, key, configFile), configFile, key);
        return v == null ? fallback : v;
    }

    /** A special token that is "" matches nothing (SpecialTokens threw IllegalArgumentException; found fuzzing). */
    private static String nonEmpty(String token, Path file, String key) {
        if (token != null && token.isEmpty()) throw TokenizerJson.bad(file, key, "a token, found \"\"");
        return token;
    }

    private static JsonObject optionalJson(Path file) {
        return Files.isRegularFile(file) ? TokenizerJson.parse(read(file), file) : new JsonObject();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new XnerInputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
