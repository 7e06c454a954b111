package xner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xner.data.Sentence;
import xner.model.BertConfig;
import xner.model.MaskedLanguageModel;
import xner.tokenize.WordPieceTokenizer;

/**
 * Tiny models for end-to-end tests on real sentences: a word-level WordPiece vocabulary of the sentences
 * given (each word one token, anything else [UNK]) and a 2-layer, 16-wide BERT with random weights.
 */
public final class TinyModels {
    private TinyModels() {}

    /** Writes {@code vocab.txt} and the tokenizer files of the sentences' words into {@code dir}; returns the vocabulary size. */
    public static int wordTokenizer(Path dir, Iterable<Sentence> sentences) throws IOException {
        Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (Sentence s : sentences) vocab.addAll(s.tokens());
        Files.createDirectories(dir);
        Files.write(dir.resolve("vocab.txt"), vocab);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"))) {
            tokenizer.save(dir);
        }
        return vocab.size();
    }

    /** A BERT config of 2 layers, hidden 16, 2 heads, 128 positions. */
    public static BertConfig bert(int vocabSize) {
        return BertConfig.defaults("bert").withSizes(vocabSize, 16, 2, 2, 32).withEmbeddingTables(128, 2);
    }

    /** A pretrained-body folder (random weights, with pooler and MLM head) with its tokenizer, in {@code dir}. */
    public static Path bertBody(Path dir, Iterable<Sentence> sentences, long seed) throws IOException {
        int vocab = wordTokenizer(dir, sentences);
        try (MaskedLanguageModel m = MaskedLanguageModel.initialise(bert(vocab), true, seed)) {
            m.save(dir, dir);
        }
        return dir;
    }
}
