package xner.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import xner.XnerInputException;

/**
 * XLM-RoBERTa's SentencePiece tokenizer, as Hugging Face's {@code XLMRobertaTokenizerFast}: the SentencePiece
 * normalizer (its precompiled character map, then runs of spaces collapsed), {@code ▁} for each space and
 * before each word, the Unigram model's most probable segmentation, and {@code <s> … </s>} around.
 *
 * <p>Ids follow fairseq's dictionary, not the SentencePiece model's: {@code <s>}=0, {@code <pad>}=1,
 * {@code </s>}=2, {@code <unk>}=3, then SentencePiece piece {@code i} (from 3 on) at {@code i + 1}, and
 * {@code <mask>} last. A text's tokens start with {@code ▁} where a word starts. The {@code tokenizer.json}
 * converted here splits on whitespace before Metaspace, as XLM-R's published one does, so such a token's
 * offsets leave out the space ({@code "▁world"} in "Hello world!" is 6..11; today's Python converter, Metaspace
 * alone, would give 5..11 with the same tokens, ids and word ids). A piece
 * that is not in the vocabulary keeps its text as token (e.g. {@code "🙂"}) with the id of {@code <unk>}.
 *
 * <pre>{@code
 * try (var tokenizer = SentencePieceTokenizer.fromSentencePieceModel(Path.of("sentencepiece.bpe.model"))) {
 *     tokenizer.encode("Jack Sparrow loves New York!").tokens();
 *     // with XLM-R's model: <s> ▁Jack ▁Spar row ▁love s ▁New ▁York ! </s>
 * }
 * }</pre>
 */
public final class SentencePieceTokenizer extends NativeTokenizer {
    /** The SentencePiece model file name in a Hugging Face model directory (XLM-R's). */
    public static final String MODEL_FILE = "sentencepiece.bpe.model";

    private final byte[] sentencePieceModel; // the file it was converted from, null when loaded from tokenizer.json

    private SentencePieceTokenizer(String json, Vocabulary vocabulary, SpecialTokens special, int maxLength, Path origin, byte[] model) {
        super(json, vocabulary, special, maxLength, origin);
        this.sentencePieceModel = model;
    }

    /** XLM-R's tokenizer converted from its SentencePiece model file, truncating to 512 tokens. */
    public static SentencePieceTokenizer fromSentencePieceModel(Path modelFile) {
        return fromSentencePieceModel(modelFile, DEFAULT_MAX_LENGTH);
    }

    /** XLM-R's tokenizer converted from its SentencePiece model file, truncating to {@code maxLength} tokens. */
    public static SentencePieceTokenizer fromSentencePieceModel(Path modelFile, int maxLength) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(modelFile + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SentencePieceModel model = SentencePieceModel.parse(bytes, modelFile);
        if (model.modelType() != SentencePieceModel.UNIGRAM) {
            throw new XnerInputException(modelFile + ": SentencePiece model type " + model.modelType()
                    + " is not supported; XLM-R's is a Unigram model (type 1)");
        }
        if (model.pieces().size() < 4) throw new XnerInputException(modelFile + ": only " + model.pieces().size() + " pieces");
        JsonObject json = tokenizerJson(model);
        return new SentencePieceTokenizer(TokenizerJson.compact(json), Vocabulary.of(json, modelFile), SpecialTokens.XLM_R,
                maxLength, modelFile, bytes);
    }

    /** A tokenizer from a {@code tokenizer.json} whose model is Unigram (its text and its parsed form). */
    static SentencePieceTokenizer fromTokenizerJson(String text, JsonObject json, Path file, SpecialTokens special, int maxLength,
                                                    byte[] sentencePieceModel) {
        Vocabulary vocabulary = Vocabulary.of(json, file);
        TokenizerJson.checkPostProcessorIds(json, vocabulary.size(), file);
        // without unk_id the model loads, then a text with a character none of its pieces covers throws from the library
        // ("Encountered an unknown token but `unk_id` is missing"; found fuzzing)
        JsonObject model = TokenizerJson.object(json, "model", file);
        int unk = TokenizerJson.nonNegativeInt(model.get("unk_id"), "model.unk_id", file);
        JsonElement pieces = model.get("vocab");
        if (pieces != null && pieces.isJsonArray() && unk >= pieces.getAsJsonArray().size()) {
            throw TokenizerJson.bad(file, "model.unk_id", "a piece of model.vocab (0.." + (pieces.getAsJsonArray().size() - 1)
                    + "), found " + unk);
        }
        return new SentencePieceTokenizer(text, vocabulary, special, maxLength, file, sentencePieceModel);
    }

    /**
     * The {@code tokenizer.json} Hugging Face's {@code XLMRobertaConverter} makes from a SentencePiece model:
     * vocabulary {@code <s> <pad> </s> <unk>} (score 0), the model's pieces from index 3 on, {@code <mask>};
     * unk id 3; normalizer Precompiled(charsmap) (when the model has one) then Replace(" {2,}", " "); Metaspace
     * pre-tokenizer and decoder ({@code ▁}, prefix always); post-processor {@code <s> $A </s>}.
     */
    static JsonObject tokenizerJson(SentencePieceModel model) {
        List<SentencePieceModel.Piece> pieces = model.pieces();
        int maskId = 4 + (pieces.size() - 3);
        SpecialTokens s = SpecialTokens.XLM_R;

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);

        JsonArray added = new JsonArray();
        added.add(TokenizerJson.addedToken(0, s.cls(), false));
        added.add(TokenizerJson.addedToken(1, s.pad(), false));
        added.add(TokenizerJson.addedToken(2, s.sep(), false));
        added.add(TokenizerJson.addedToken(3, s.unk(), false));
        added.add(TokenizerJson.addedToken(maskId, s.mask(), true)); // lstrip: "<mask>" takes the space before it, as XLM-R's
        root.add("added_tokens", added);

        JsonArray normalizers = new JsonArray();
        byte[] charsmap = model.precompiledCharsmap();
        if (charsmap.length > 0) {
            JsonObject precompiled = new JsonObject();
            precompiled.addProperty("type", "Precompiled");
            precompiled.addProperty("precompiled_charsmap", Base64.getEncoder().encodeToString(charsmap));
            normalizers.add(precompiled);
        }
        JsonObject replace = new JsonObject();
        replace.addProperty("type", "Replace");
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", " {2,}");
        replace.add("pattern", pattern);
        replace.addProperty("content", " ");
        normalizers.add(replace);
        JsonObject normalizer = new JsonObject();
        normalizer.addProperty("type", "Sequence");
        normalizer.add("normalizers", normalizers);
        root.add("normalizer", normalizer);

        // whitespace split first, as XLM-R's published tokenizer.json: a word's offsets then leave out the
        // space before it, so an entity's span is the entity's text alone
        JsonArray preTokenizers = new JsonArray();
        JsonObject whitespace = new JsonObject();
        whitespace.addProperty("type", "WhitespaceSplit");
        preTokenizers.add(whitespace);
        preTokenizers.add(metaspace());
        JsonObject preTokenizer = new JsonObject();
        preTokenizer.addProperty("type", "Sequence");
        preTokenizer.add("pretokenizers", preTokenizers);
        root.add("pre_tokenizer", preTokenizer);
        root.add("post_processor", TokenizerJson.template(
                s.cls() + " $A " + s.sep(), s.cls() + " $A " + s.sep() + " " + s.sep() + " $B " + s.sep(), 0,
                List.of(s.cls(), s.sep()), List.of(0, 2)));
        root.add("decoder", metaspace());

        JsonObject unigram = new JsonObject();
        unigram.addProperty("type", "Unigram");
        unigram.addProperty("unk_id", 3);
        JsonArray vocab = new JsonArray();
        for (String special : List.of(s.cls(), s.pad(), s.sep(), s.unk())) vocab.add(entry(special, 0.0));
        for (SentencePieceModel.Piece p : pieces.subList(3, pieces.size())) {
            vocab.add(entry(p.piece(), p.score())); // the float score widened to double, as the Python converter writes it
        }
        vocab.add(entry(s.mask(), 0.0));
        unigram.add("vocab", vocab);
        unigram.addProperty("byte_fallback", false);
        root.add("model", unigram);
        return root;
    }

    private static JsonObject metaspace() {
        JsonObject m = new JsonObject();
        m.addProperty("type", "Metaspace");
        m.addProperty("replacement", "\u2581");
        m.addProperty("prepend_scheme", "always");
        m.addProperty("split", true);
        return m;
    }

    private static JsonArray entry(String piece, double score) {
        JsonArray e = new JsonArray();
        e.add(piece);
        e.add(score);
        return e;
    }

    @Override
    JsonObject tokenizerConfig() {
        JsonObject config = new JsonObject();
        config.addProperty("tokenizer_class", "XLMRobertaTokenizer");
        config.addProperty("clean_up_tokenization_spaces", true);
        return config;
    }

    @Override
    JsonObject specialTokensMap() {
        SpecialTokens s = specialTokens();
        JsonObject json = new JsonObject();
        json.addProperty("bos_token", s.cls()); // XLM-R's sequence start and end are also its bos and eos
        json.addProperty("eos_token", s.sep());
        json.addProperty("unk_token", s.unk());
        json.addProperty("sep_token", s.sep());
        json.addProperty("pad_token", s.pad());
        json.addProperty("cls_token", s.cls());
        JsonObject mask = new JsonObject(); // as XLM-R's file: the mask absorbs the space before it
        mask.addProperty("content", s.mask());
        mask.addProperty("single_word", false);
        mask.addProperty("lstrip", true);
        mask.addProperty("rstrip", false);
        mask.addProperty("normalized", false);
        json.add("mask_token", mask);
        return json;
    }

    @Override
    void saveVocabularyFile(Path dir) throws IOException {
        // a tokenizer loaded from tokenizer.json alone has no SentencePiece file to write; tokenizer.json suffices
        if (sentencePieceModel != null) Files.write(dir.resolve(MODEL_FILE), sentencePieceModel);
    }
}
