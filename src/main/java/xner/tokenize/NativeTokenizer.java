package xner.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import xner.XnerInputException;

/**
 * A tokenizer run by Hugging Face's Rust {@code tokenizers} library (through DJL) from a {@code tokenizer.json}
 * held as text: the part WordPiece and SentencePiece share. It turns DJL's encodings into {@link Encoding}s with
 * UTF-16 offsets (DJL reports code points) and writes the Hugging Face tokenizer files.
 */
abstract sealed class NativeTokenizer implements Tokenizer permits WordPieceTokenizer, SentencePieceTokenizer, ByteLevelBpeTokenizer {
    private final String tokenizerJson;
    private final Vocabulary vocabulary;
    private final SpecialTokens specialTokens;
    private final int maxLength;
    private final HuggingFaceTokenizer hf;

    /**
     * @param tokenizerJson the {@code tokenizer.json} text (its own truncation and padding are replaced: truncation
     *                      to {@code maxLength}, no padding)
     * @param origin        where the JSON came from, for error messages
     */
    NativeTokenizer(String tokenizerJson, Vocabulary vocabulary, SpecialTokens specialTokens, int maxLength, Path origin) {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength must leave room for the special tokens, was " + maxLength);
        this.tokenizerJson = tokenizerJson;
        this.vocabulary = vocabulary;
        this.specialTokens = specialTokens;
        this.maxLength = maxLength;
        for (String t : List.of(specialTokens.cls(), specialTokens.sep(), specialTokens.pad(), specialTokens.mask(), specialTokens.unk())) {
            if (!vocabulary.contains(t)) throw new XnerInputException(origin + ": special token " + t + " is not in the vocabulary");
        }
        this.hf = open(tokenizerJson, maxLength, origin);
    }

    /** The native tokenizer of a {@code tokenizer.json} text, truncating to {@code maxLength}, adding special tokens, no padding. */
    static HuggingFaceTokenizer open(String tokenizerJson, int maxLength, Path origin) {
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "withOverflowingTokens", "false",
                "truncation", "LONGEST_FIRST",
                "padding", "false",
                "maxLength", Integer.toString(maxLength),
                "modelMaxLength", Integer.toString(maxLength)); // else DJL caps maxLength at 512 with a warning
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)), options);
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory stream failed", e); // cannot happen
        } catch (RuntimeException e) {
            throw new XnerInputException(origin + ": the tokenizers library rejects it: " + e.getMessage(), e);
        }
    }

    /** The native tokenizer that encodes words already split: the same as for texts unless a subclass needs another. */
    HuggingFaceTokenizer forWords() {
        return hf;
    }

    @Override
    public Encoding encode(String text) {
        Objects.requireNonNull(text, "text");
        String clean = withoutLoneSurrogates(text);
        ai.djl.huggingface.tokenizers.Encoding e = hf.encode(clean);
        int[] utf16 = utf16Indices(clean);
        return convert(e, w -> utf16);
    }

    @Override
    public Encoding encodeWords(List<String> words) {
        String[] array = words.toArray(String[]::new);
        for (int i = 0; i < array.length; i++) array[i] = withoutLoneSurrogates(Objects.requireNonNull(array[i], "words[" + i + "]"));
        if (array.length == 0) return encode(""); // the native side rejects an empty pre-tokenized input
        ai.djl.huggingface.tokenizers.Encoding e = forWords().encode(array); // String[]: is_split_into_words
        int[][] utf16 = new int[array.length][];
        for (int i = 0; i < array.length; i++) utf16[i] = utf16Indices(array[i]);
        return convert(e, w -> utf16[w]);
    }

    /** Which code point → UTF-16 table applies to the offsets of a token of word {@code w}. */
    private interface OffsetTable {
        int[] forWord(int w);
    }

    private Encoding convert(ai.djl.huggingface.tokenizers.Encoding e, OffsetTable tables) {
        String[] tokens = e.getTokens();
        long[] ids = e.getIds();
        long[] wordIds = e.getWordIds();
        long[] special = e.getSpecialTokenMask();
        long[] attention = e.getAttentionMask();
        CharSpan[] spans = e.getCharTokenSpans();
        int n = tokens.length;
        List<Integer> idList = new ArrayList<>(n);
        List<Integer> wordList = new ArrayList<>(n);
        List<Integer> starts = new ArrayList<>(n);
        List<Integer> ends = new ArrayList<>(n);
        List<Integer> specialList = new ArrayList<>(n);
        List<Integer> attentionList = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idList.add((int) ids[i]);
            int word = (int) wordIds[i]; // DJL writes -1 for None
            wordList.add(word < 0 ? Encoding.NO_WORD : word);
            specialList.add((int) special[i]);
            attentionList.add((int) attention[i]);
            CharSpan span = spans[i]; // null for the tokens the post-processor added
            if (span == null || word < 0) {
                starts.add(0);
                ends.add(0);
            } else {
                int[] table = tables.forWord(word);
                starts.add(toUtf16(table, span.getStart()));
                ends.add(toUtf16(table, span.getEnd()));
            }
        }
        return new Encoding(List.of(tokens), idList, wordList, starts, ends, specialList, attentionList, e.exceedMaxLength());
    }

    private static int toUtf16(int[] table, int codePoint) {
        return table == null ? codePoint : table[codePoint];
    }

    /**
     * {@code s} with each unpaired surrogate (legal in a Java string and in JSON's {@code "\ud800"}, not a
     * character) replaced by U+FFFD. The native side would receive it as three bytes of modified UTF-8 and
     * count offsets the table below cannot map; one char for one char keeps every offset valid for {@code s}.
     */
    static String withoutLoneSurrogates(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (Character.isSurrogate(c) && !paired) {
                if (chars == null) chars = s.toCharArray();
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? s : new String(chars);
    }

    /**
     * The UTF-16 index of each code point of {@code s} (and of its end), or null when {@code s} has no
     * surrogate pair, where both counts agree. The tokenizers library reports offsets in code points.
     */
    static int[] utf16Indices(String s) {
        boolean surrogates = false;
        for (int i = 0; i < s.length() && !surrogates; i++) surrogates = Character.isSurrogate(s.charAt(i));
        if (!surrogates) return null;
        int[] table = new int[s.codePointCount(0, s.length()) + 1];
        int cp = 0;
        for (int i = 0; i < s.length(); i = s.offsetByCodePoints(i, 1)) table[cp++] = i;
        table[cp] = s.length();
        return table;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public int tokenToId(String token) {
        return vocabulary.id(token);
    }

    @Override
    public String idToToken(int id) {
        return vocabulary.token(id);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    @Override
    public String decode(List<Integer> ids, boolean skipSpecialTokens) {
        long[] array = new long[ids.size()];
        for (int i = 0; i < array.length; i++) {
            int id = ids.get(i);
            if (id < 0 || id >= vocabulary.size()) throw new IllegalArgumentException("id " + id + " outside [0, " + vocabulary.size() + ")");
            array[i] = id;
        }
        return hf.decode(array, skipSpecialTokens);
    }

    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
        JsonObject config = tokenizerConfig();
        config.addProperty("model_max_length", maxLength);
        specialTokensMap().entrySet().forEach(e -> config.add(e.getKey(), e.getValue()));
        Files.writeString(dir.resolve("tokenizer_config.json"), TokenizerJson.pretty(config) + "\n");
        Files.writeString(dir.resolve("special_tokens_map.json"), TokenizerJson.pretty(specialTokensMap()) + "\n");
        saveVocabularyFile(dir);
    }

    /** The content of {@code special_tokens_map.json}. */
    JsonObject specialTokensMap() {
        JsonObject json = new JsonObject();
        json.addProperty("cls_token", specialTokens.cls());
        json.addProperty("sep_token", specialTokens.sep());
        json.addProperty("pad_token", specialTokens.pad());
        json.addProperty("mask_token", specialTokens.mask());
        json.addProperty("unk_token", specialTokens.unk());
        return json;
    }

    /** The model-specific part of {@code tokenizer_config.json} ({@code tokenizer_class} and its options). */
    abstract JsonObject tokenizerConfig();

    /** Writes the model's own vocabulary file ({@code vocab.txt}, the SentencePiece model) where it has one. */
    abstract void saveVocabularyFile(Path dir) throws IOException;

    String tokenizerJson() {
        return tokenizerJson;
    }

    Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public void close() {
        hf.close();
    }
}
