package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.WordCutter.Word;

/** The words a span file is cut into are BERT's pre-tokenized words, sub-tokens joined, offsets in UTF-16. */
class PreTokenizedWordsTest {
    @TempDir Path dir;

    @Test
    void punctuationIsAWordAndSubTokensMakeOneWord() throws IOException {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Micro", "##soft", "'", "s", ".", "J"));
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(vocab);
                PreTokenizedWords words = new PreTokenizedWords(tokenizer)) {
            // "😀" is [UNK], a word of its own; two UTF-16 units; U+200B is dropped by the tokenizer: in no word
            String text = "\uD83D\uDE00 Microsoft's\u200B J.";
            assertEquals(List.of(new Word(0, 2), new Word(3, 12), new Word(12, 13), new Word(13, 14), new Word(16, 17),
                    new Word(17, 18)), words.cut(text));
        }
    }

    @Test
    void theTokenizerIsLoadedOnTheFirstTextOnly() {
        // a command that reads no span file never asks for the tokenizer's folder
        try (PreTokenizedWords words = new PreTokenizedWords(() -> {
            throw new AssertionError("asked for the tokenizer");
        })) {
            assertEquals(PreTokenizedWords.class, words.getClass());
        }
    }
}
