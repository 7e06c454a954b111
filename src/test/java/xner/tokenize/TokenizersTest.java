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
}
