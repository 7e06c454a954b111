package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/**
 * XLM-R's SentencePiece tokenizer on {@link TinySentencePieceModel}, whose table gives the scores: each
 * expected segmentation below is the best-scoring one (e.g. "▁Hel"+"lo" = -4 beats "▁"+"H"+"e"+"l"+"lo" = -22).
 */
class SentencePieceTokenizerTest {
    @TempDir
    Path dir;

    private SentencePieceTokenizer tiny() throws IOException {
        return SentencePieceTokenizer.fromSentencePieceModel(TinySentencePieceModel.write(dir));
    }

    @Test
    void textIsSegmentedIntoPiecesWithFairseqIds() throws IOException {
        try (var t = tiny()) {
            Encoding e = t.encode("Hello world!");
            assertEquals(List.of("<s>", "▁Hel", "lo", "▁world", "!", "</s>"), e.tokens());
            assertEquals(List.of(0, 7, 8, 9, 10, 2), e.ids()); // spm id + 1
            assertEquals(List.of(-1, 0, 0, 1, 1, -1), e.wordIds()); // a word per space-separated piece of text
            // whitespace is split off before Metaspace: "▁world" spans the word alone, as with XLM-R's tokenizer.json
            assertEquals(List.of(0, 0, 3, 6, 11, 0), e.charStarts());
            assertEquals(List.of(0, 3, 5, 11, 12, 0), e.charEnds());
            assertEquals(List.of(1, 0, 0, 0, 0, 1), e.specialTokensMask());
            assertEquals("Hello world!", t.decode(e.ids(), true));
        }
    }

    @Test
    void unknownCharactersGetTheUnknownIdAndUtf16Offsets() throws IOException {
        try (var t = tiny()) {
            Encoding e = t.encode("Zürich 🙂");
            // the unknown piece keeps its text, as the library's tokens(); its id is <unk>'s
            assertEquals(List.of("<s>", "▁Zü", "rich", "▁", "🙂", "</s>"), e.tokens());
            assertEquals(List.of(0, 11, 12, 4, 3, 2), e.ids());
            assertEquals(List.of(-1, 0, 0, 1, 1, -1), e.wordIds());
            // the bare "▁" prepended to the emoji's word is mapped onto that word (7..9), as the library maps it;
            // the emoji is two UTF-16 units
            assertEquals(List.of(0, 0, 2, 7, 7, 0), e.charStarts());
            assertEquals(List.of(0, 2, 6, 9, 9, 0), e.charEnds());
        }
    }

    @Test
    void runsOfSpacesCollapseToOne() throws IOException {
        try (var t = tiny()) {
            Encoding e = t.encode("New  York");
            assertEquals(List.of("<s>", "▁New", "▁York", "</s>"), e.tokens());
            assertEquals(List.of(0, 5, 6, 2), e.ids());
            // "York" spans the word itself, whatever ran before it
            assertEquals(List.of(0, 0, 5, 0), e.charStarts());
            assertEquals(List.of(0, 3, 9, 0), e.charEnds());
        }
    }

    @Test
    void preSplitWordsEachStartAPieceAndOffsetsIndexTheWord() throws IOException {
        try (var t = tiny()) {
            Encoding e = t.encodeWords(List.of("Hello", "world!", "Zürich", "🙂"));
            assertEquals(List.of("<s>", "▁Hel", "lo", "▁world", "!", "▁Zü", "rich", "▁", "🙂", "</s>"), e.tokens());
            assertEquals(List.of(-1, 0, 0, 1, 1, 2, 2, 3, 3, -1), e.wordIds());
            assertEquals(List.of(0, 0, 3, 0, 5, 0, 2, 0, 0, 0), e.charStarts());
            assertEquals(List.of(0, 3, 5, 5, 6, 2, 6, 2, 2, 0), e.charEnds());
        }
    }

    @Test
    void specialTokenIdsFollowFairseqAndMaskIsLast() throws IOException {
        try (var t = tiny()) {
            assertEquals(18, t.vocabSize());
            assertEquals(List.of(0, 2, 1, 17, 3), List.of(t.clsId(), t.sepId(), t.padId(), t.maskId(), t.unkId()));
            assertEquals("<mask>", t.maskToken());
            assertEquals(5, t.tokenToId("▁New"));
            assertEquals("▁New", t.idToToken(5));
            assertEquals("e", t.idToToken(16));
            assertEquals(-1, t.tokenToId("▁Newer"));
            assertTrue(t.encode("Hello <mask>!").ids().contains(17));
        }
    }

    @Test
    void truncationKeepsTheSpecialTokens() throws IOException {
        try (var t = SentencePieceTokenizer.fromSentencePieceModel(TinySentencePieceModel.write(dir), 4)) {
            Encoding e = t.encode("Hello world!");
            assertEquals(List.of("<s>", "▁Hel", "lo", "</s>"), e.tokens());
            assertTrue(e.truncated());
        }
    }

    @Test
    void generatedTokenizerJsonIsTheXlmRobertaConvertersOne() throws IOException {
        SentencePieceModel model = SentencePieceModel.parse(TinySentencePieceModel.bytes(1), Path.of("tiny.model"));
        assertEquals(16, model.pieces().size());
        assertEquals(new SentencePieceModel.Piece("▁world", -1.5f, 1), model.pieces().get(8));
        JsonObject json = SentencePieceTokenizer.tokenizerJson(model);
        JsonObject unigram = json.getAsJsonObject("model");
        assertEquals("Unigram", unigram.get("type").getAsString());
        assertEquals(3, unigram.get("unk_id").getAsInt());
        JsonArray vocab = unigram.getAsJsonArray("vocab");
        assertEquals(18, vocab.size());
        assertEquals("[\"<s>\",0.0]", vocab.get(0).toString());
        assertEquals("[\"<unk>\",0.0]", vocab.get(3).toString());
        assertEquals("[\"▁\",-3.0]", vocab.get(4).toString());
        assertEquals("[\"<mask>\",0.0]", vocab.get(17).toString());
        // no charsmap in this model: only the space normalizer
        JsonArray normalizers = json.getAsJsonObject("normalizer").getAsJsonArray("normalizers");
        assertEquals(1, normalizers.size());
        assertEquals("Replace", normalizers.get(0).getAsJsonObject().get("type").getAsString());
        JsonArray pre = json.getAsJsonObject("pre_tokenizer").getAsJsonArray("pretokenizers");
        assertEquals("WhitespaceSplit", pre.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("Metaspace", pre.get(1).getAsJsonObject().get("type").getAsString());
        assertEquals(3, json.getAsJsonObject("post_processor").getAsJsonArray("single").size());
        assertEquals(6, json.getAsJsonObject("post_processor").getAsJsonArray("pair").size());
    }

    @Test
    void aPrecompiledCharsmapBecomesThePrecompiledNormalizer() {
        byte[] charsmap = {1, 2, 3, 4};
        SentencePieceModel model = new SentencePieceModel(
                SentencePieceModel.parse(TinySentencePieceModel.bytes(1), Path.of("tiny.model")).pieces(), 1, charsmap);
        JsonArray normalizers = SentencePieceTokenizer.tokenizerJson(model).getAsJsonObject("normalizer").getAsJsonArray("normalizers");
        assertEquals(2, normalizers.size());
        assertEquals("Precompiled", normalizers.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("AQIDBA==", normalizers.get(0).getAsJsonObject().get("precompiled_charsmap").getAsString());
        assertArrayEquals(charsmap, model.precompiledCharsmap());
    }

    @Test
    void savedFilesLoadBackToTheSameTokenizer() throws IOException {
        Path saved = dir.resolve("saved");
        List<String> texts = List.of("Hello world!", "Zürich 🙂", "New  York", "Hello <mask>!");
        try (var t = tiny()) {
            t.save(saved);
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "sentencepiece.bpe.model")) {
                assertTrue(Files.isRegularFile(saved.resolve(f)), f);
            }
            assertArrayEquals(TinySentencePieceModel.bytes(1), Files.readAllBytes(saved.resolve("sentencepiece.bpe.model")));
            JsonObject map = JsonParser.parseString(Files.readString(saved.resolve("special_tokens_map.json"))).getAsJsonObject();
            assertEquals("<s>", map.get("bos_token").getAsString());
            assertEquals("<mask>", map.getAsJsonObject("mask_token").get("content").getAsString());
            try (Tokenizer loaded = Tokenizers.load(saved)) {
                assertInstanceOf(SentencePieceTokenizer.class, loaded);
                for (String text : texts) assertEquals(t.encode(text), loaded.encode(text), text);
                assertEquals(t.vocabSize(), loaded.vocabSize());
                assertEquals(17, loaded.maskId());
            }
            // the SentencePiece model alone is converted again
            Files.delete(saved.resolve("tokenizer.json"));
            try (Tokenizer loaded = Tokenizers.load(saved)) {
                for (String text : texts) assertEquals(t.encode(text), loaded.encode(text), text);
            }
        }
    }

    @Test
    void xlmRobertasPublishedTokenizerJsonLoadsAndItsOffsetsLeaveOutTheSpace() throws IOException {
        // XLM-R's published tokenizer.json predates today's converter: its pre-tokenizer splits on whitespace
        // first, then Metaspace (add_prefix_space) adds the ▁ back, so a word's offsets leave out the space
        SentencePieceModel model = SentencePieceModel.parse(TinySentencePieceModel.bytes(1), Path.of("tiny.model"));
        JsonObject json = SentencePieceTokenizer.tokenizerJson(model);
        JsonObject metaspace = new JsonObject();
        metaspace.addProperty("type", "Metaspace");
        metaspace.addProperty("replacement", "\u2581");
        metaspace.addProperty("add_prefix_space", true);
        JsonObject whitespaceSplit = new JsonObject();
        whitespaceSplit.addProperty("type", "WhitespaceSplit");
        JsonArray steps = new JsonArray();
        steps.add(whitespaceSplit);
        steps.add(metaspace);
        JsonObject sequence = new JsonObject();
        sequence.addProperty("type", "Sequence");
        sequence.add("pretokenizers", steps);
        json.add("pre_tokenizer", sequence);
        json.add("decoder", metaspace);
        Path published = Files.createDirectories(dir.resolve("published"));
        Files.writeString(published.resolve("tokenizer.json"), json.toString());
        try (Tokenizer legacy = Tokenizers.load(published); var t = tiny()) {
            assertInstanceOf(SentencePieceTokenizer.class, legacy);
            for (String text : List.of("Hello world!", "Zürich 🙂", "New  York")) {
                Encoding ours = t.encode(text);
                Encoding theirs = legacy.encode(text);
                assertEquals(ours.tokens(), theirs.tokens(), text);
                assertEquals(ours.ids(), theirs.ids(), text);
                assertEquals(ours.wordIds(), theirs.wordIds(), text);
            }
            Encoding e = legacy.encode("Hello world!");
            assertEquals(List.of(0, 0, 3, 6, 11, 0), e.charStarts()); // "▁world" is 6..11 here, 5..11 with plain Metaspace
            assertEquals(List.of(0, 3, 5, 11, 12, 0), e.charEnds());
            legacy.save(dir.resolve("resaved")); // no SentencePiece file to write: tokenizer.json suffices
            assertFalse(Files.exists(dir.resolve("resaved").resolve("sentencepiece.bpe.model")));
        }
    }

    @Test
    void aRealSentencePieceModelSegmentsAsSentencePieceDoes() throws IOException {
        // a model trained by SentencePiece, with a precompiled charsmap (ﬁ → fi, fullwidth → ASCII, no-break
        // space → space): see src/test/resources/xner/tokenize/README.md
        Path model = dir.resolve("sentencepiece.bpe.model");
        try (InputStream in = getClass().getResourceAsStream("tiny-unigram.model");
             Reader golden = new InputStreamReader(getClass().getResourceAsStream("tiny-unigram.json"), StandardCharsets.UTF_8)) {
            Files.copy(in, model);
            JsonArray cases = JsonParser.parseReader(golden).getAsJsonObject().getAsJsonArray("cases");
            assertEquals(8, cases.size());
            try (Tokenizer t = Tokenizers.load(dir)) {
                assertEquals(402, t.vocabSize()); // 400 pieces + <pad> + <mask>
                for (var c : cases) {
                    JsonObject expected = c.getAsJsonObject();
                    String text = expected.get("text").getAsString();
                    Encoding e = t.encode(text);
                    List<String> pieces = new ArrayList<>();
                    expected.getAsJsonArray("pieces").forEach(p -> pieces.add(p.getAsString()));
                    List<Integer> ids = new ArrayList<>();
                    expected.getAsJsonArray("ids").forEach(i -> ids.add(i.getAsInt()));
                    assertEquals(pieces, e.tokens().subList(1, e.size() - 1), text);
                    assertEquals(ids, e.ids(), text);
                }
            }
        }
    }

    @Test
    void aBpeModelIsRejected() throws IOException {
        Path file = dir.resolve("bpe.model");
        Files.write(file, TinySentencePieceModel.bytes(2));
        XnerInputException e = assertThrows(XnerInputException.class, () -> SentencePieceTokenizer.fromSentencePieceModel(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("Unigram"), e.getMessage());
    }

    @Test
    void aTruncatedModelFileIsRejectedNamingTheFileAndByte() throws IOException {
        Path file = dir.resolve("cut.model");
        byte[] bytes = TinySentencePieceModel.bytes(1);
        Files.write(file, Arrays.copyOf(bytes, 35)); // inside the third piece
        XnerInputException e = assertThrows(XnerInputException.class, () -> SentencePieceTokenizer.fromSentencePieceModel(file));
        assertTrue(e.getMessage().startsWith(file + ": byte "), e.getMessage());
        Files.writeString(file, "not a model at all");
        assertThrows(XnerInputException.class, () -> SentencePieceTokenizer.fromSentencePieceModel(file));
    }
}
