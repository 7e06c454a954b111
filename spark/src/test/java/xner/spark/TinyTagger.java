package xner.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xner.data.LabelSet;
import xner.data.PanxReader;
import xner.data.Sentence;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.tokenize.WordPieceTokenizer;

/**
 * Test inputs: real PAN-X sentences from {@code $XNER_DATA} and a tiny token classifier on their words (the
 * core's {@code xner.testing.TinyModels} shape: a word-level WordPiece vocabulary, 2 layers, hidden 16, 128
 * positions, random weights), small copies so that this module needs no test jar of the core.
 */
final class TinyTagger {
    private TinyTagger() {}

    /** The PAN-X folder under {@code $XNER_DATA}, or the test is skipped with the reason. */
    static Path panx() {
        assumeTrue(missing() == null, missing());
        String data = System.getenv("XNER_DATA");
        Path dir = Path.of(data).resolve("panx");
        return (Files.isDirectory(dir) ? dir : Path.of(data)).toAbsolutePath();
    }

    /**
     * Why PAN-X cannot be had, or null when it can. A class that builds its model once checks this in
     * {@code @BeforeAll} and skips each test in {@code @BeforeEach}, so every skipped test is counted with the reason.
     */
    static String missing() {
        String data = System.getenv("XNER_DATA");
        if (data == null || data.isBlank()) return "skipped: XNER_DATA is not set (point it at the data folder, e.g. XNER_DATA=../shared/data)";
        Path dir = Path.of(data).resolve("panx");
        if (!Files.isDirectory(dir)) dir = Path.of(data);
        if (!Files.isRegularFile(dir.resolve("de").resolve("test"))) return "skipped: no PAN-X de/test under XNER_DATA=" + data;
        return null;
    }

    /** The first {@code n} sentences of PAN-X {@code lang}'s {@code split}. */
    static List<Sentence> sentences(String lang, String split, int n) {
        List<Sentence> all = new PanxReader().read(panx().resolve(lang).resolve(split));
        return new ArrayList<>(all.subList(0, Math.min(n, all.size())));
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
