package xner.testing;

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
 * Tiny random models for tests, in two sizes.
 *
 * <ul>
 *   <li>Ids only ({@link #bert()}, {@link #xlmRoberta()}): 2 layers, hidden 8, 2 heads, a vocabulary of
 *       {@link #VOCAB} ids and no tokenizer, for tests that need a whole model in milliseconds.</li>
 *   <li>On real sentences ({@link #wordTokenizer}, {@link #wordLevelBert}, {@link #bertBody}): a word-level
 *       WordPiece vocabulary of the sentences given (each word one token, anything else {@code [UNK]}) and a
 *       2-layer, 16-wide BERT with random weights, for end-to-end tests of training, evaluation and tagging.</li>
 * </ul>
 */
public final class TinyModels {
    /** The vocabulary size of the ids-only configs. */
    public static final int VOCAB = 30;

    private TinyModels() {}

    /** An ids-only BERT config: 2 layers, hidden 8, 2 heads, {@link #VOCAB} ids, 16 positions. */
    public static BertConfig bert() {
        return BertConfig.defaults("bert").withSizes(VOCAB, 8, 2, 2, 16).withEmbeddingTables(16, 2);
    }

    /** An ids-only config of XLM-R's shape: padding id 1, one token type, positions after the padding id, eps 1e-5. */
    public static BertConfig xlmRoberta() {
        return BertConfig.defaults("xlm-roberta").withSizes(VOCAB, 8, 2, 2, 16).withEmbeddingTables(18, 1)
                .toBuilder().layerNormEps(1e-5).build();
    }

    /** Writes {@code vocab.txt} and the tokenizer files of the sentences' words into {@code dir}; returns the vocabulary size. */
    public static int wordTokenizer(Path dir, Iterable<Sentence> sentences) throws IOException {
        Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (Sentence s : sentences) vocab.addAll(s.words());
        Files.createDirectories(dir);
        Files.write(dir.resolve("vocab.txt"), vocab);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"))) {
            tokenizer.save(dir);
        }
        return vocab.size();
    }

    /** A BERT config for a {@link #wordTokenizer} vocabulary: 2 layers, hidden 16, 2 heads, 128 positions. */
    public static BertConfig wordLevelBert(int vocabSize) {
        return BertConfig.defaults("bert").withSizes(vocabSize, 16, 2, 2, 32).withEmbeddingTables(128, 2);
    }

    /**
     * A pretrained-body folder (random weights, with pooler and MLM head) with the {@link #wordTokenizer} of the
     * sentences, in {@code dir}; returns {@code dir}.
     */
    public static Path bertBody(Path dir, Iterable<Sentence> sentences, long seed) throws IOException {
        int vocab = wordTokenizer(dir, sentences);
        try (MaskedLanguageModel m = MaskedLanguageModel.initialise(wordLevelBert(vocab), true, seed)) {
            m.save(dir, dir);
        }
        return dir;
    }
}
