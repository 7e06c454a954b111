package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.testing.TestData;

/** Multilingual BERT's tokenizer against the chapter and the reference numbers; a tiny vocabulary for the rest. */
class WordPieceTokenizerTest {
    private static WordPieceTokenizer mbert;

    /** Multilingual BERT's tokenizer, built once (the vocabulary has 119,547 entries), or the test is skipped. */
    static synchronized WordPieceTokenizer mbert() {
        if (mbert == null) mbert = WordPieceTokenizer.fromVocab(TestData.mbertVocab());
        return mbert;
    }

    @AfterAll
    static void closeMbert() {
        if (mbert != null) mbert.close();
        mbert = null;
    }

    @Test
    void jeffDeanSentenceIsTokenizedAsInTheChapter() {
        Encoding e = mbert().encode("Jeff Dean ist ein Informatiker bei Google in Kalifornien");
        assertEquals(List.of("[CLS]", "Jeff", "Dean", "ist", "ein", "Info", "##rmat", "##iker", "bei", "Google", "in",
                "Kalifornien", "[SEP]"), e.tokens());
        assertEquals(List.of(-1, 0, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, -1), e.wordIds());
        assertEquals(List.of(0, 0, 5, 10, 14, 18, 22, 26, 31, 35, 42, 45, 0), e.charStarts());
        assertEquals(List.of(0, 4, 9, 13, 17, 22, 26, 30, 34, 41, 44, 56, 0), e.charEnds());
        assertEquals(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), e.specialTokensMask());
        assertEquals(13, e.attentionMask().stream().mapToInt(Integer::intValue).sum());
        assertFalse(e.truncated());
    }

    @Test
    void everyReferenceTokenizationMatches() throws IOException {
        JsonObject reference = reference();
        List<JsonObject> cases = new ArrayList<>();
        cases.add(reference.getAsJsonObject("sentence"));
        reference.getAsJsonArray("tokenization").forEach(c -> cases.add(c.getAsJsonObject()));
        assertEquals(6, cases.size());
        for (JsonObject c : cases) {
            String text = c.get("text").getAsString();
            Encoding e = mbert().encode(text);
            assertEquals(strings(c.getAsJsonArray("tokens")), e.tokens(), text);
            assertEquals(ints(c.getAsJsonArray("input_ids")), e.ids(), text);
            JsonArray words = c.getAsJsonArray("word_ids");
            JsonArray codePoints = c.getAsJsonArray("offsets");
            JsonArray utf16 = c.getAsJsonArray("offsets_utf16");
            for (int i = 0; i < e.size(); i++) {
                String where = text + " token " + i + " " + e.tokens().get(i);
                if (words.get(i).isJsonNull()) {
                    assertEquals(Encoding.NO_WORD, e.wordIds().get(i), where);
                    assertTrue(e.isSpecial(i), where);
                    assertTrue(codePoints.get(i).isJsonNull(), where);
                    continue;
                }
                assertEquals(words.get(i).getAsInt(), e.wordIds().get(i), where);
                assertFalse(e.isSpecial(i), where);
                // offsets in Java (UTF-16) indices, and the reference's code points converted to them
                assertEquals(utf16.get(i).getAsJsonArray().get(0).getAsInt(), e.charStarts().get(i), where);
                assertEquals(utf16.get(i).getAsJsonArray().get(1).getAsInt(), e.charEnds().get(i), where);
                JsonArray cp = codePoints.get(i).getAsJsonArray();
                assertEquals(text.offsetByCodePoints(0, cp.get(0).getAsInt()), e.charStarts().get(i), where);
                assertEquals(text.offsetByCodePoints(0, cp.get(1).getAsInt()), e.charEnds().get(i), where);
            }
        }
    }

    @Test
    void fillMaskPromptsMatchReferenceAndTypedMaskIsTheSpecialToken() throws IOException {
        JsonArray prompts = reference().getAsJsonArray("fill_mask");
        assertEquals(6, prompts.size());
        assertEquals(103, mbert().maskId());
        for (JsonElement p : prompts) {
            JsonObject prompt = p.getAsJsonObject();
            Encoding e = mbert().encode(prompt.get("text").getAsString());
            assertEquals(strings(prompt.getAsJsonArray("tokens")), e.tokens());
            assertEquals(ints(prompt.getAsJsonArray("input_ids")), e.ids());
            assertEquals(103, e.ids().get(prompt.get("mask_position").getAsInt()));
            assertEquals("[MASK]", mbert().maskToken());
        }
    }

    @Test
    void preSplitWordsGetWordIdsIntoTheGivenWordsAndOffsetsIntoEachWord() {
        // PAN-X fr train, sentence 10 (accents, a hyphenated name, quotes glued to a word)
        List<String> words = List.of("Il", "utilise", "des", "baguettes", "Pro-Mark", "(", "dont", "il", "possède", "un",
                "modèle", "''Signature", ")", ".");
        Encoding e = mbert().encodeWords(words);
        assertEquals("[CLS]", e.tokens().get(0));
        assertEquals("[SEP]", e.tokens().get(e.size() - 1));
        // a given word split further by BERT's pre-tokenizer keeps one word id
        assertEquals(List.of("Pro", "-", "Mark"), tokensOfWord(e, 4));
        assertEquals(List.of("'", "'", "Sign", "##ature"), tokensOfWord(e, 11));
        assertEquals(List.of("possède"), tokensOfWord(e, 8));
        int previous = -1;
        for (int i = 1; i < e.size() - 1; i++) {
            int w = e.wordIds().get(i);
            assertTrue(w == previous || w == previous + 1, "word ids run through the words in order");
            previous = w;
            String piece = e.tokens().get(i).replaceFirst("^##", "");
            assertEquals(piece, words.get(w).substring(e.charStarts().get(i), e.charEnds().get(i)), "offsets index word " + w);
        }
        assertEquals(words.size() - 1, previous);
        // the same tokens as the text with the words joined by spaces
        Encoding joined = mbert().encode(String.join(" ", words));
        assertEquals(joined.tokens(), e.tokens());
        assertEquals(joined.ids(), e.ids());
    }

    @Test
    void truncationKeepsTheSpecialTokens() {
        try (var shortTokenizer = WordPieceTokenizer.fromVocab(TestData.mbertVocab(), false, SpecialTokens.BERT, 8)) {
            Encoding e = shortTokenizer.encode("Jeff Dean ist ein Informatiker bei Google in Kalifornien");
            assertEquals(List.of("[CLS]", "Jeff", "Dean", "ist", "ein", "Info", "##rmat", "[SEP]"), e.tokens());
            assertEquals(List.of(-1, 0, 1, 2, 3, 4, 4, -1), e.wordIds());
            assertTrue(e.truncated());
            Encoding words = shortTokenizer.encodeWords(List.of("Jeff", "Dean", "ist", "ein", "Informatiker", "bei"));
            assertEquals(e.tokens(), words.tokens());
            assertTrue(words.truncated());
            assertEquals(8, shortTokenizer.maxLength());
        }
        assertEquals(512, mbert().maxLength());
    }

    @Test
    void vocabularyAndSpecialTokenIds() {
        WordPieceTokenizer t = mbert();
        assertEquals(119_547, t.vocabSize());
        assertEquals(List.of(101, 102, 0, 103, 100), List.of(t.clsId(), t.sepId(), t.padId(), t.maskId(), t.unkId()));
        assertEquals(39042, t.tokenToId("Kalifornien"));
        assertEquals("Kalifornien", t.idToToken(39042));
        assertEquals(-1, t.tokenToId("Kalifornienxyz"));
        assertThrows(IllegalArgumentException.class, () -> t.idToToken(119_547));
        assertEquals("Jeff Dean ist ein Informatiker bei Google in Kalifornien",
                t.decode(t.encode("Jeff Dean ist ein Informatiker bei Google in Kalifornien").ids(), true));
    }

    @Test
    void savedFilesLoadBackToTheSameTokenizer(@TempDir Path dir) throws IOException {
        mbert().save(dir);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(Files.readAllLines(TestData.mbertVocab()), Files.readAllLines(dir.resolve("vocab.txt")));
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("tokenizer_config.json"))).getAsJsonObject();
        assertEquals(512, config.get("model_max_length").getAsInt());
        assertFalse(config.get("do_lower_case").getAsBoolean());
        String text = "L'Università di Zurigo è a Zürich 🇨🇭 — ça va?";
        try (Tokenizer loaded = Tokenizers.load(dir)) {
            assertInstanceOf(WordPieceTokenizer.class, loaded);
            assertEquals(mbert().encode(text), loaded.encode(text));
            assertEquals(119_547, loaded.vocabSize());
            assertEquals(103, loaded.maskId());
        }
        Files.delete(dir.resolve("tokenizer.json")); // vocab.txt alone: converted again
        try (Tokenizer loaded = Tokenizers.load(dir)) {
            assertEquals(mbert().encode(text), loaded.encode(text));
        }
    }

    // ---- a tiny vocabulary: runs without the mBERT jar

    static Path tinyVocab(Path dir) throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "Hello", "world", "##s", "cafe",
                "café", "!", "a", "##a", "😀"));
        return vocab;
    }

    @Test
    void casedKeepsCaseAndAccentsLowercaseStripsThem(@TempDir Path dir) throws IOException {
        Path vocab = tinyVocab(dir);
        try (var cased = WordPieceTokenizer.fromVocab(vocab); var uncased = WordPieceTokenizer.fromVocab(vocab, true, SpecialTokens.BERT, 512)) {
            assertEquals(List.of("[CLS]", "Hello", "world", "##s", "café", "[UNK]", "!", "[SEP]"), cased.encode("Hello worlds café CAFÉ!").tokens());
            assertEquals(List.of("[CLS]", "hello", "world", "##s", "cafe", "cafe", "!", "[SEP]"), uncased.encode("Hello worlds café CAFÉ!").tokens());
            assertFalse(cased.lowercase());
            assertTrue(uncased.lowercase());
        }
    }

    @Test
    void offsetsAreUtf16IndicesAfterCharactersOutsideTheBmp(@TempDir Path dir) throws IOException {
        try (var t = WordPieceTokenizer.fromVocab(tinyVocab(dir))) {
            String text = "😀😀 Hello 😀!";
            Encoding e = t.encode(text);
            assertEquals(List.of("[CLS]", "[UNK]", "Hello", "😀", "!", "[SEP]"), e.tokens());
            assertEquals(List.of(0, 0, 5, 11, 13, 0), e.charStarts());
            assertEquals(List.of(0, 4, 10, 13, 14, 0), e.charEnds());
            assertEquals("Hello", text.substring(e.charStarts().get(2), e.charEnds().get(2)));
            Encoding words = t.encodeWords(List.of("😀a", "Hello"));
            assertEquals(List.of("[CLS]", "😀", "##a", "Hello", "[SEP]"), words.tokens());
            assertEquals(List.of(0, 0, 2, 0, 0), words.charStarts()); // into each word
            assertEquals(List.of(0, 2, 3, 5, 0), words.charEnds());
        }
    }

    @Test
    void aWordLongerThan100CharactersIsUnknown(@TempDir Path dir) throws IOException {
        try (var t = WordPieceTokenizer.fromVocab(tinyVocab(dir))) {
            assertEquals(List.of("[CLS]", "a", "##a", "##a", "[SEP]"), t.encode("aaa").tokens());
            assertEquals(List.of("[CLS]", "[UNK]", "[SEP]"), t.encode("a".repeat(101)).tokens());
            assertEquals(102, t.encode("a".repeat(100)).size());
        }
    }

    @Test
    void aWordThatYieldsNoTokenIsSkippedAndLaterWordsKeepTheirIndex(@TempDir Path dir) throws IOException {
        try (var t = WordPieceTokenizer.fromVocab(tinyVocab(dir))) {
            // an empty word and a zero-width space (removed by BERT's text cleaning) have no token
            for (String nothing : List.of("", "\u200b")) {
                Encoding e = t.encodeWords(List.of("a", nothing, "hello"));
                assertEquals(List.of("[CLS]", "a", "hello", "[SEP]"), e.tokens());
                assertEquals(List.of(-1, 0, 2, -1), e.wordIds());
                assertEquals(List.of(-100, 5, 3, -100), new LabelAligner(xner.data.LabelSet.PANX).align(e, List.of(5, 6, 3)));
            }
        }
    }

    @Test
    void aLoneSurrogateYieldsNoTokenAndLaterOffsetsStillIndexTheText(@TempDir Path dir) throws IOException {
        try (var t = WordPieceTokenizer.fromVocab(tinyVocab(dir))) {
            for (String lone : List.of("\ud800", "\udc00")) {
                // threw ArrayIndexOutOfBoundsException converting offsets; now U+FFFD, which BERT's text cleaning removes
                String text = "a " + lone + " hello \ud83d\ude00 hello";
                Encoding e = t.encode(text);
                assertEquals(List.of("[CLS]", "a", "hello", "\ud83d\ude00", "hello", "[SEP]"), e.tokens());
                assertEquals("\ud83d\ude00", text.substring(e.charStarts().get(3), e.charEnds().get(3)));
                assertEquals("hello", text.substring(e.charStarts().get(4), e.charEnds().get(4)));
                Encoding words = t.encodeWords(List.of("a", lone, "hello", "\ud83d\ude00", "hello"));
                assertEquals(e.tokens(), words.tokens());
                assertEquals(List.of(-1, 0, 2, 3, 4, -1), words.wordIds());
            }
            assertEquals("x\ud83d\ude00\ufffd", NativeTokenizer.withoutLoneSurrogates("x\ud83d\ude00\ud83d"));
        }
    }

    @Test
    void encodingFromSeveralThreadsGivesTheSameResults() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) texts.add("Satz " + i + " über Zürich 🇨🇭 und 東京, Nr. " + (i * 7919));
        List<Encoding> sequential = texts.stream().map(mbert()::encode).toList();
        List<Encoding> parallel = texts.parallelStream().map(mbert()::encode).toList();
        assertEquals(sequential, parallel);
    }

    @Test
    void vocabularyWithoutASpecialTokenIsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"));
        XnerInputException e = assertThrows(XnerInputException.class, () -> WordPieceTokenizer.fromVocab(vocab));
        assertTrue(e.getMessage().startsWith(vocab.toString()) && e.getMessage().contains("[MASK]"), e.getMessage());
        Path missing = dir.resolve("nope.txt");
        assertTrue(assertThrows(XnerInputException.class, () -> WordPieceTokenizer.fromVocab(missing)).getMessage().contains("nope.txt"));
        Files.write(vocab, new byte[0]);
        assertTrue(assertThrows(XnerInputException.class, () -> WordPieceTokenizer.fromVocab(vocab)).getMessage().contains("empty"));
    }

    private static List<String> tokensOfWord(Encoding e, int word) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) if (e.wordIds().get(i) == word) out.add(e.tokens().get(i));
        return out;
    }

    private static JsonObject reference() throws IOException {
        return JsonParser.parseString(Files.readString(TestData.reference().resolve("mbert.json"))).getAsJsonObject();
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.getAsString()));
        return out;
    }

    private static List<Integer> ints(JsonArray a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(x -> out.add(x.getAsInt()));
        return out;
    }
}
