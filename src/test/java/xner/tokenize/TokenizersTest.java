package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/** Choosing the tokenizer from the files of a model directory. */
class TokenizersTest {
    @TempDir
    Path dir;

    @Test
    void aVocabTxtMakesAWordPieceTokenizerWithTheConfiguredLengthAndCase() throws IOException {
        WordPieceTokenizerTest.tinyVocab(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"model_max_length\": 5}");
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertInstanceOf(WordPieceTokenizer.class, t);
            assertEquals(5, t.maxLength());
            assertEquals(List.of("[CLS]", "hello", "world", "##s", "[SEP]"), t.encode("HELLO Worlds CAFÉ").tokens());
        }
        try (Tokenizer t = Tokenizers.load(dir, 3)) {
            assertEquals(3, t.maxLength());
        }
    }

    @Test
    void aVocabularyThatDoesNotFitTheModelsEmbeddingIsRefusedNamingBothSizes() throws IOException {
        WordPieceTokenizerTest.tinyVocab(dir); // 15 tokens
        for (int rows : new int[] {15, 15 + 128}) { // exact, or an embedding padded to a multiple (unused rows)
            Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": " + rows + "}");
            try (Tokenizer t = Tokenizers.load(dir)) {
                assertEquals(15, t.vocabSize());
            }
        }
        // a vocab_size that is no row count is left to the model's loader to name (getAsLong threw on 1e99999)
        for (String rows : new String[] {"1e99999", "-3", "2.5"}) {
            Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": " + rows + "}");
            Tokenizers.load(dir).close();
        }
        for (int rows : new int[] {14, 15 + 129, 119547}) {
            Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": " + rows + "}");
            String message = assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage();
            assertTrue(message.startsWith(dir.toString()) && message.contains("vocab.txt") && message.contains("15 tokens")
                    && message.contains("vocab_size") && message.contains(String.valueOf(rows)), message);
        }
    }

    @Test
    void hugeModelMaxLengthMeansTheDefault() throws IOException {
        WordPieceTokenizerTest.tinyVocab(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1000000000000000019884624838656}");
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertEquals(Tokenizer.DEFAULT_MAX_LENGTH, t.maxLength());
        }
    }

    @Test
    void specialTokensComeFromSpecialTokensMap() throws IOException {
        Files.write(dir.resolve("vocab.txt"), List.of("<pad>", "<unk>", "<cls>", "<sep>", "<msk>", "hi"));
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"cls_token\": \"<cls>\", \"sep_token\": \"<sep>\", "
                + "\"pad_token\": \"<pad>\", \"unk_token\": {\"content\": \"<unk>\"}, \"mask_token\": \"<msk>\"}");
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertEquals(List.of("<cls>", "hi", "<unk>", "<msk>", "<sep>"), t.encode("hi ho <msk>").tokens());
            assertEquals(4, t.maskId());
        }
    }

    @Test
    void aSentencePieceModelMakesAnXlmRobertaTokenizer() throws IOException {
        TinySentencePieceModel.write(dir);
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertInstanceOf(SentencePieceTokenizer.class, t);
        }
        try (Tokenizer t = Tokenizers.load(dir.resolve("sentencepiece.bpe.model"))) { // a file names itself
            assertInstanceOf(SentencePieceTokenizer.class, t);
        }
    }

    @Test
    void unsupportedOrMissingFilesAreNamed() throws IOException {
        assertTrue(assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage().contains("no tokenizer files"));
        assertThrows(XnerInputException.class, () -> Tokenizers.load(dir.resolve("absent")));
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {}}}");
        XnerInputException wordLevel = assertThrows(XnerInputException.class, () -> Tokenizers.load(dir));
        assertTrue(wordLevel.getMessage().startsWith(json + ": field model.type: \"WordLevel\" is not supported"), wordLevel.getMessage());
        Files.writeString(json, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}"); // RoBERTa's kind, without its tokens
        XnerInputException bpe = assertThrows(XnerInputException.class, () -> Tokenizers.load(dir));
        assertTrue(bpe.getMessage().equals(json + ": special token <s> is not in the vocabulary"), bpe.getMessage());
        Files.writeString(json, "{\"model\": ");
        assertTrue(assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage().startsWith(json.toString()));
        Files.writeString(json, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": [1, 2]}}");
        XnerInputException vocab = assertThrows(XnerInputException.class, () -> Tokenizers.load(dir));
        assertTrue(vocab.getMessage().contains("model.vocab"), vocab.getMessage());
    }

    @Test
    void camembertsSentencePieceModelIsNotConvertedAsXlmRsWouldBe() throws IOException {
        try (java.io.InputStream in = SentencePieceTokenizerTest.class.getResourceAsStream("tiny-unigram.model")) {
            Files.copy(in, dir.resolve("sentencepiece.bpe.model"));
        }
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"camembert\"}");

        XnerInputException e = assertThrows(XnerInputException.class, () -> Tokenizers.load(dir));

        assertTrue(e.getMessage().startsWith(dir.resolve("sentencepiece.bpe.model") + ": CamemBERT's SentencePiece model is numbered "
                + "otherwise"), e.getMessage());
    }
    /**
     * Found fuzzing: tokenizer.json text that Gson's lenient parser took but Rust's serde_json does not ({@code tru} in
     * the decoder) made the tokenizers library panic, which aborted the JVM; so did a number past a double and a lone
     * surrogate escape. Each is refused naming the file, with the column or field; the tokenizer.json xner writes loads.
     */
    @Test
    void aTokenizerJsonTheLibraryCannotReadIsRefusedBeforeItGetsIt() throws IOException {
        WordPieceTokenizerTest.tinyVocab(dir);
        try (Tokenizer t = Tokenizers.load(dir)) {
            t.save(dir);
        }
        Files.delete(dir.resolve("vocab.txt"));
        Path json = dir.resolve("tokenizer.json");
        String good = Files.readString(json);
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertEquals(15, t.vocabSize());
        }
        Files.writeString(json, good.replace("\"cleanup\":true", "\"cleanup\":tru"));
        String lenient = assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage();
        assertTrue(lenient.startsWith(json + ": not valid JSON: malformed at column ") && lenient.contains("(path $.decoder.cleanup)")
                && lenient.contains("the unquoted word \"tru\""), lenient);
        Files.writeString(json, good.replace("\"max_input_chars_per_word\":100", "\"max_input_chars_per_word\":1e400"));
        assertEquals(json + ": field model.max_input_chars_per_word: expected a number within a double's range, found 1e400",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        Files.writeString(json, good.replace("\"prefix\":\"##\"", "\"prefix\":\"#\\ud800\""));
        assertEquals(json + ": field decoder.prefix: expected text without lone surrogates, found U+D800 alone at character 1",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
    }

    /**
     * Found fuzzing: a template naming a special token that special_tokens lacks panicked in the library when encoding
     * (template.rs:563) and aborted the JVM; sequence B in the single template indexes a second input that is not there;
     * a special id past the vocabulary indexes past the embedding. Each is refused naming the field.
     */
    @Test
    void aPostProcessorTheLibraryWouldPanicOnIsRefused() throws IOException {
        WordPieceTokenizerTest.tinyVocab(dir);
        try (Tokenizer t = Tokenizers.load(dir)) {
            t.save(dir);
        }
        Files.delete(dir.resolve("vocab.txt"));
        Path json = dir.resolve("tokenizer.json");
        String good = Files.readString(json);
        Files.writeString(json, good.replaceFirst("\\{\"SpecialToken\":\\{\"id\":\"\\[CLS\\]\"", "{\"SpecialToken\":{\"id\":\"[CLS}\""));
        assertEquals(json + ": field post_processor.single[0].SpecialToken.id: expected one of special_tokens [[CLS], [SEP]], found "
                + "\"[CLS}\"", assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        // without its type the library still reads the object as a template (found fuzzing: "ty1pe")
        Files.writeString(json, good.replace("\"type\":\"TemplateProcessing\"", "\"ty1pe\":\"TemplateProcessing\"")
                .replace("\"special_tokens\":{\"[CLS]\"", "\"special_tokens\":{\"p[CLS]\""));
        assertTrue(assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage()
                .startsWith(json + ": field post_processor.single[0].SpecialToken.id: expected one of special_tokens"));
        Files.writeString(json, good.replaceFirst("\\{\"Sequence\":\\{\"id\":\"A\"", "{\"Sequence\":{\"id\":\"B\""));
        assertEquals(json + ": field post_processor.single[1].Sequence.id: expected A (a single sequence has no other), found \"B\"",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        // found fuzzing: an unknown token outside model.vocab loaded, then every word it could not piece together threw
        Files.writeString(json, good.replace("\"unk_token\":\"[UNK]\"", "\"unk_token\":\"[KUN]\""));
        assertEquals(json + ": field model.unk_token: expected a token of model.vocab, found \"[KUN]\"",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        // found fuzzing: an added token outside model.vocab gets the library's next id, not the one written (4 here)
        Files.writeString(json, good.replace("\"[MASK]\":4,", "\"[MCSK]\":4,"));
        assertEquals(json + ": field added_tokens[4].id: expected 15, the id the tokenizers library gives \"[MASK]\", found 4",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        Files.writeString(json, good.replace("\"ids\":[2]", "\"ids\":[15]"));
        assertEquals(json + ": field post_processor.special_tokens[\"[CLS]\"].ids[0]: expected an id of the vocabulary (0..14), found 15",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
    }

    /** Found fuzzing: "pad_token": "" threw SpecialTokens' IllegalArgumentException, naming no file. */
    @Test
    void anEmptySpecialTokenIsRefusedNamingTheFile() throws IOException {
        WordPieceTokenizerTest.tinyVocab(dir);
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"pad_token\": \"\"}");
        assertEquals(config + ": field pad_token: expected a token, found \"\"",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
    }
    /** Found fuzzing: a Unigram model without unk_id loaded, then threw from encode on a character no piece covers. */
    @Test
    void aUnigramModelWithoutUnkIdIsRefused() throws IOException {
        TinySentencePieceModel.write(dir);
        try (Tokenizer t = Tokenizers.load(dir)) {
            t.save(dir);
        }
        Files.delete(dir.resolve("sentencepiece.bpe.model"));
        Path json = dir.resolve("tokenizer.json");
        String good = Files.readString(json);
        Files.writeString(json, good.replace("\"unk_id\":3,", ""));
        assertEquals(json + ": field model.unk_id: expected a number",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        // found fuzzing: a "Precompiled" normalizer without its map panicked in the library, aborting the JVM
        Files.writeString(json, good.replace("{\"type\":\"Replace\",", "{\"type\":\"Precompiled\",\"pattern\":1},{\"type\":\"Replace\","));
        assertEquals(json + ": field normalizer.normalizers[0].precompiled_charsmap: expected a base64 string, found null",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
        Files.writeString(json, good.replace("{\"type\":\"Replace\",",
                "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"AAAAAA==\"},{\"type\":\"Replace\","));
        assertTrue(assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage()
                .startsWith(json + ": field normalizer.normalizers[0].precompiled_charsmap, byte 0: a trie of 0 bytes"));
        Files.writeString(json, good.replace("\"unk_id\":3,", "\"unk_id\":18,"));
        assertEquals(json + ": field model.unk_id: expected a piece of model.vocab (0..17), found 18",
                assertThrows(XnerInputException.class, () -> Tokenizers.load(dir)).getMessage());
    }
}
