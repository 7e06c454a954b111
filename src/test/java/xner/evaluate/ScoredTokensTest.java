package xner.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import xner.data.Source;
import xner.model.BertConfig;
import xner.model.LogitsModel;
import xner.model.TokenClassifier;
import xner.testing.SyntheticSentences;
import xner.tokenize.Batch;
import xner.tokenize.Example;
import xner.tokenize.LabelAligner;
import xner.tokenize.WordPieceTokenizer;

/** One pass, three views: per-token losses and predictions, the split's scores, the words' logits. */
class ScoredTokensTest {
    private static final LabelSet TWO = new LabelSet(List.of("O", "B-PER"));

    @TempDir Path dir;

    @Test
    void tokenLossesAreCrossEntropyAndZeroWhereIgnored() {
        // one sequence of 3 tokens, 2 labels: gold 1, -100, 0
        float[] logits = {0f, 0f, 5f, 1f, (float) Math.log(3), 0f};
        Example example = new Example(new int[] {7, 8, 9}, new int[] {1, WordTags.IGNORE, 0}, new int[] {0, -1, 1},
                new Sentence(List.of("Jeff", "ist"), List.of("B-PER", "O"), new Source(Path.of("t"), 1)));
        ScoredTokens pass = ScoredTokens.run(new FixedLogits(logits), List.of(example), 8, 0);
        SequenceLosses s = pass.sequenceLosses(id -> "t" + id).get(0);
        assertEquals(Math.log(2), s.losses()[0], 1e-6);          // uniform over two labels
        assertEquals(0f, s.losses()[1], 0f);
        assertEquals(Float.POSITIVE_INFINITY, 1 / s.losses()[1], "+0, not -0");
        assertEquals(Math.log(4.0 / 3), s.losses()[2], 1e-6);     // -log(3 / (3 + 1))
        assertArrayEquals(new int[] {0, 0, 0}, s.predicted());   // ties go to the first label, as argmax
        assertEquals((Math.log(2) + Math.log(4.0 / 3)) / 2, pass.evaluation().loss(), 1e-6);
        // the words' logits: each word's at its first sub-token
        Calibration.WordLogits words = pass.wordLogits();
        assertArrayEquals(new float[] {0f, 0f}, words.logits().get(0)[0]);
        assertArrayEquals(new float[] {(float) Math.log(3), 0f}, words.logits().get(0)[1]);
    }

    @Test
    void perTokenLossesAverageToTheEvaluationLossWhichIsLibtorchsCrossEntropy() throws IOException {
        Dataset german = SyntheticSentences.german(40, 3, "dev");
        Set<String> vocab = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (Sentence s : german.take(20)) vocab.addAll(s.words()); // the rest may have [UNK]s
        Files.write(dir.resolve("vocab.txt"), vocab);
        BertConfig config = BertConfig.defaults("bert").withSizes(vocab.size(), 16, 2, 2, 32).withEmbeddingTables(128, 2)
                .withLabels(LabelSet.PANX.names());
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"));
                TokenClassifier model = TokenClassifier.initialise(config, 3)) {
            List<Example> examples = Example.encode(german, tokenizer, new LabelAligner(LabelSet.PANX));
            ScoredTokens pass = ScoredTokens.run(model, examples, 7, tokenizer.padId());
            List<SequenceLosses> losses = pass.sequenceLosses(tokenizer::idToToken);
            Evaluation evaluation = pass.evaluation();

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
            // the Java cross-entropy is libtorch's, the one training minimises, over all examples in one batch
            Batch all = Batch.collate(examples, tokenizer.padId());
            try (NDManager m = model.parameters().manager().newSubManager()) {
                Shape shape = new Shape(all.size(), all.length());
                float libtorch = TokenClassifier.loss(model.logits(m, m.create(all.ids(), shape), m.create(all.mask(), shape), false),
                        m.create(all.labels(), shape)).getFloat();
                assertEquals(libtorch, evaluation.loss(), 1e-4);
            }
        }
    }

    /** Logits given up front, one sequence; temperature 1. */
    private record FixedLogits(float[] logits) implements LogitsModel {
        @Override
        public LabelSet labels() {
            return TWO;
        }

        @Override
        public BertConfig config() {
            return BertConfig.defaults("bert").withLabels(TWO.names());
        }

        @Override
        public int maxSequenceLength() {
            return 512;
        }

        @Override
        public float[] logits(int rows, int length, long[] ids, long[] mask) {
            return logits.clone();
        }

        @Override
        public String runtime() {
            return "fixed";
        }

        @Override
        public void close() {}
    }
}
