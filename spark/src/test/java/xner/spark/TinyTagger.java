package xner.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.testing.SyntheticSentences;
import xner.tokenize.WordPieceTokenizer;

/**
 * Test inputs: synthetic German-looking sentences and a tiny token classifier on their words (the core's
 * {@code xner.testing.TinyModels} shape: a word-level WordPiece vocabulary, 2 layers, hidden 16, 128 positions,
 * random weights, drawn wider here).
 */
final class TinyTagger {
    private TinyTagger() {}

    /**
     * {@code n} German-looking tagged sentences made from {@code seed} (the core's {@code xner.testing.SyntheticSentences}):
     * these tests need some sentences to tag, no fact of PAN-X, so they run without {@code XNER_DATA}.
     */
    static List<Sentence> sentences(int n, long seed) {
        return new ArrayList<>(SyntheticSentences.german(n, seed, "test").sentences());
    }

    /** The sentences' words joined by single spaces: the texts a user would tag. */
    static List<String> texts(List<Sentence> sentences) {
        return sentences.stream().map(s -> String.join(" ", s.words())).toList();
    }

    /**
     * A token-classifier folder (PAN-X's labels) whose vocabulary is the sentences' words, in {@code dir}. Its
     * weights are drawn wide (initializer range 0.5) so that the labels' probabilities are far apart and every
     * label appears.
     */
    static Path model(Path dir, List<Sentence> sentences, long seed) throws IOException {
        Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (Sentence s : sentences) vocab.addAll(s.words());
        Files.createDirectories(dir);
        Files.write(dir.resolve("vocab.txt"), vocab);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"))) {
            tokenizer.save(dir);
        }
        BertConfig config = BertConfig.defaults("bert").withSizes(vocab.size(), 16, 2, 2, 32).withEmbeddingTables(128, 2)
                .toBuilder().initializerRange(0.5).build().withLabels(LabelSet.PANX.names());
        try (TokenClassifier m = TokenClassifier.initialise(config, seed)) {
            m.save(dir, dir);
        }
        return dir;
    }
}
