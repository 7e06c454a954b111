package xner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.evaluate.SequenceLosses;
import xner.evaluate.WordTags;
import xner.model.BertConfig;
import xner.model.TokenClassifier;
import xner.testing.SyntheticSentences;
import xner.tokenize.LabelAligner;
import xner.tokenize.WordPieceTokenizer;

/** Per-token losses and predictions: the same numbers Evaluation averages, zero where there is no label. */
class TokenLossesTest {
    @TempDir Path dir;

    @Test
    void tokenLossesAreCrossEntropyAndZeroWhereIgnored() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (1, 3, 2) logits; labels 1, -100, 0
            NDArray logits = m.create(new float[] {0f, 0f, 5f, 1f, (float) Math.log(3), 0f}, new Shape(1, 3, 2));
            float[] losses = TokenClassifier.tokenLosses(logits, m.create(new long[] {1, -100, 0}, new Shape(1, 3))).toFloatArray();
            assertEquals(Math.log(2), losses[0], 1e-6);          // uniform over two labels
            assertEquals(0f, losses[1], 0f);
            assertEquals(Float.POSITIVE_INFINITY, 1 / losses[1], "+0, not -0");
            assertEquals(Math.log(4.0 / 3), losses[2], 1e-6);     // -log(3 / (3 + 1))
        }
    }

    @Test
    void perTokenLossesAverageToTheEvaluationLossAndPredictTheSame() throws IOException {
        Dataset german = SyntheticSentences.german(40, 3, "dev");
        Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (Sentence s : german.take(20)) vocab.addAll(s.words()); // the rest may have [UNK]s
        Files.write(dir.resolve("vocab.txt"), vocab);
        BertConfig config = BertConfig.defaults("bert").withSizes(vocab.size(), 16, 2, 2, 32).withEmbeddingTables(128, 2)
                .withLabels(LabelSet.PANX.names());
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"));
                TokenClassifier model = TokenClassifier.initialise(config, 3)) {
            List<Example> examples = Example.encode(german, tokenizer, new LabelAligner(LabelSet.PANX));
            List<SequenceLosses> losses = TokenLosses.compute(model, examples, tokenizer, 7);
            Evaluation evaluation = Evaluation.run(model, examples, 7, tokenizer.padId());

            assertEquals(examples.size(), losses.size());
            double sum = 0;
            int labelled = 0;
            for (int i = 0; i < examples.size(); i++) {
                SequenceLosses s = losses.get(i);
                Example e = examples.get(i);
                assertEquals("[CLS]", s.tokens().get(0));
                assertEquals(tokenizer.idToToken(e.ids()[1]), s.tokens().get(1));
                assertArrayEquals(e.labels(), s.labels());
                assertArrayEquals(evaluation.predicted().get(i), s.predicted(), "sentence " + i);
                for (int t = 0; t < s.size(); t++) {
                    if (s.labels()[t] == WordTags.IGNORE) {
                        assertEquals(0f, s.losses()[t], 0f);
                    } else {
                        sum += s.losses()[t];
                        labelled++;
                    }
                }
            }
            assertEquals(evaluation.loss(), sum / labelled, 1e-5);
        }
    }
}
