package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RoBERTa's byte-level BPE from a {@code tokenizer.json} laid out as roberta-base's (ByteLevel pre-tokenizer,
 * RobertaProcessing, BPE with merges), with a vocabulary small enough to check by hand.
 */
class ByteLevelBpeTokenizerTest {
    // "Ġ" (U+0120) is the byte-level form of a space
    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [
              {"id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
              {"id": 1, "content": "<pad>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
              {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
              {"id": 3, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true},
              {"id": 22, "content": "<mask>", "single_word": false, "lstrip": true, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null,
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
             "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": true,
                                "add_prefix_space": false},
             "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
             "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "", "end_of_word_suffix": "",
                       "fuse_unk": false, "byte_fallback": false,
                       "vocab": {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "J": 4, "e": 5, "f": 6, "\\u0120": 7, "D": 8, "a": 9,
                                 "n": 10, "Je": 11, "Jef": 12, "Jeff": 13, "\\u0120D": 14, "\\u0120De": 15, "\\u0120Dea": 16,
                                 "\\u0120Dean": 17, "\\u0120J": 18, "\\u0120Je": 19, "\\u0120Jef": 20, "\\u0120Jeff": 21},
                       "merges": ["\\u0120 J", "\\u0120J e", "\\u0120Je f", "\\u0120Jef f", "J e", "Je f", "Jef f",
                                  "\\u0120 D", "\\u0120D e", "\\u0120De a", "\\u0120Dea n"]}}
            """;

    @TempDir Path dir;

    private Tokenizer load() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER_JSON);
        return Tokenizers.load(dir);
    }

    @Test
    void aTextIsEncodedAsItsTokenizerJsonSaysWithOffsetsWithoutTheSpace() throws IOException {
        try (Tokenizer tokenizer = load()) {
            assertInstanceOf(ByteLevelBpeTokenizer.class, tokenizer);
            Encoding e = tokenizer.encode("Jeff Dean");
            assertEquals(List.of("<s>", "Jeff", "\u0120Dean", "</s>"), e.tokens());
            assertEquals(List.of(0, 13, 17, 2), e.ids());
            assertEquals(List.of(Encoding.NO_WORD, 0, 1, Encoding.NO_WORD), e.wordIds());
            assertEquals(List.of(0, 0, 5, 0), e.charStarts());
            assertEquals(List.of(0, 4, 9, 0), e.charEnds());
            assertEquals(23, tokenizer.vocabSize());
            assertEquals(1, tokenizer.padId());
        }
    }

    @Test
    void wordsAlreadySplitEachTakeASpaceBeforeThemAsTransformersDoesForRoberta() throws IOException {
        try (Tokenizer tokenizer = load()) {
            Encoding e = tokenizer.encodeWords(List.of("Jeff", "Dean"));
            assertEquals(List.of("<s>", "\u0120Jeff", "\u0120Dean", "</s>"), e.tokens());
            assertEquals(List.of(Encoding.NO_WORD, 0, 1, Encoding.NO_WORD), e.wordIds());
            assertEquals(List.of(0, 0, 0, 0), e.charStarts()); // offsets into each word
            assertEquals(List.of(0, 4, 4, 0), e.charEnds());
        }
    }

    @Test
    void savedAndLoadedAgainItIsTheSameTokenizer() throws IOException {
        Path saved = dir.resolve("saved");
        try (Tokenizer tokenizer = load()) {
            tokenizer.save(saved);
        }
        try (Tokenizer again = Tokenizers.load(saved)) {
            assertEquals(List.of(0, 13, 17, 2), again.encode("Jeff Dean").ids());
            assertEquals("Jeff Dean", again.decode(List.of(0, 13, 17, 2), true));
        }
    }
}
