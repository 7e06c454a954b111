package xner.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xner.data.Dataset;
import xner.data.Sentence;
import xner.model.BertConfig;
import xner.model.MaskedLanguageModel;
import xner.tokenize.WordPieceTokenizer;

/**
 * A tiny random BERT body (2 layers, hidden 16) with a word-level vocabulary of some real sentences, as
 * TrainEvaluateTagCommandTest builds one: every word of those sentences is one token, others are [UNK].
 */
public final class TinyBody {
    private TinyBody() {}

    public static Path write(Path dir, List<Dataset> sentences) throws IOException {
        Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (Dataset data : sentences) for (Sentence s : data) vocab.addAll(s.tokens());
        Files.createDirectories(dir);
        Files.write(dir.resolve("vocab.txt"), vocab);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"))) {
            tokenizer.save(dir);
        }
        BertConfig config = BertConfig.defaults("bert").withSizes(vocab.size(), 16, 2, 2, 32).withEmbeddingTables(128, 2);
        try (MaskedLanguageModel m = MaskedLanguageModel.initialise(config, true, 7)) {
            m.save(dir, dir);
        }
        return dir;
    }
}
