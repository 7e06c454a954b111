package xner.train;

import xner.tokenize.Batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.model.BertConfig;
import xner.model.Parameters;
import xner.model.TokenClassifier;
import xner.testing.SyntheticSentences;
import xner.testing.TinyModels;
import xner.tokenize.LabelAligner;
import xner.tokenize.WordPieceTokenizer;
import xner.tokenize.Example;

/** A step whose gradient is not finite: computed once more from the same weights, or stopped when it stays so. */
class TrainingStepTest {
    @TempDir static Path dir;
    static Batch batch;
    static BertConfig config;

    @BeforeAll
    static void tinySetUp() throws IOException {
        Dataset german = SyntheticSentences.german(8, 42); // some sentences: no fact of PAN-X is asserted
        int vocab = TinyModels.wordTokenizer(dir, german);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(dir.resolve("vocab.txt"))) {
            batch = Batch.collate(Example.encode(german, tokenizer, new LabelAligner(LabelSet.PANX)), tokenizer.padId());
        }
        config = TinyModels.wordLevelBert(vocab).withLabels(LabelSet.PANX.names());
    }

    private static final String POISONED = "bert.encoder.layer.0.output.dense.weight";

    @Test
    void aPassingNaNGradientIsComputedAgainAndTheStepUpdatesFiniteWeights() {
        try (TokenClassifier model = TokenClassifier.initialise(config, 42)) {
            TrainingStep step = TrainingStep.fresh(model, TrainingConfig.chapter());
            assertEquals(1, step.run(batch, 5e-5, 1).attempts());
            // a fault of the kind met in long runs: the accumulated gradient of one weight turns NaN
            try (NDArray gradient = model.parameters().get(POISONED).getGradient()) {
                gradient.addi(Float.NaN);
            }
            TrainingStep.StepResult result = step.run(batch, 5e-5, 2);

            assertTrue(Double.isFinite(result.loss()));
            assertEquals(2, result.attempts());
            assertTrue(Double.isFinite(result.gradientNorm()));
            assertEquals(1, result.failedAttempts().size());
            assertTrue(result.failedAttempts().get(0).startsWith("step 2: loss "), result.failedAttempts().get(0));
            assertTrue(result.failedAttempts().get(0).contains("gradient norm NaN"), result.failedAttempts().get(0));
            for (String name : model.parameters().names()) {
                assertFalse(model.parameters().get(name).isNaN().any().getBoolean(), name + " stayed finite");
            }
            assertEquals(1, step.run(batch, 5e-5, 3).attempts(), "the next step is computed once");
        }
    }

    @Test
    void aGradientThatStaysNaNStopsTrainingAndNamesTheBatch() {
        try (TokenClassifier model = TokenClassifier.initialise(config, 42)) {
            model.parameters().get(POISONED).addi(Float.NaN); // a diverged weight: every attempt fails
            TrainingStep step = TrainingStep.fresh(model, TrainingConfig.chapter());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> step.run(batch, 5e-5, 1));
            assertTrue(e.getMessage().startsWith("step 1: loss NaN"), e.getMessage());
            assertTrue(e.getMessage().contains("de/train:"), "the batch's sentences, by file and line: " + e.getMessage());
            assertTrue(e.getMessage().endsWith("(attempt 2)"), e.getMessage());
        }
    }

    /**
     * A whole step against the per-parameter computation written out here: the global norm of all gradients
     * (in double on the host), the clipping scale, and torch.optim.AdamW in double with each parameter's
     * own decay, on the same gradients (no dropout, so both forwards are the same).
     */
    @Test
    void aStepIsClipGradNormThenAdamWOnEveryParameterWithItsOwnDecay() {
        BertConfig still = config.toBuilder().hiddenDropoutProb(0).attentionProbsDropoutProb(0).build();
        TrainingConfig recipe = TrainingConfig.chapter().toBuilder().sparseEmbeddings(false).learningRate(1e-2)
                .weightDecay(0.1).maxGradNorm(0.05).build();
        try (TokenClassifier stepped = TokenClassifier.initialise(still, 42);
                TokenClassifier reference = TokenClassifier.initialise(still, 42);
                NDManager scope = reference.parameters().manager().newSubManager()) {
            Parameters p = reference.parameters();
            p.requireGradients(name -> true);
            Shape shape = new Shape(batch.size(), batch.length());
            try (GradientCollector collector = p.manager().getEngine().newGradientCollector()) {
                NDArray logits = reference.logits(scope, scope.create(batch.ids(), shape), scope.create(batch.mask(), shape), true);
                collector.backward(TokenClassifier.loss(logits, scope.create(batch.labels(), shape)));
            }
            Map<String, float[]> gradients = new LinkedHashMap<>();
            double squares = 0;
            for (String name : p.names()) {
                float[] g = p.gradient(scope, name).toFloatArray();
                gradients.put(name, g);
                for (float x : g) squares += (double) x * x;
            }
            double norm = Math.sqrt(squares);
            double scale = Math.min(1, recipe.maxGradNorm() / (norm + 1e-6));
            assertTrue(scale < 0.5, "the test clips: norm " + norm);

            TrainingStep.StepResult result = TrainingStep.fresh(stepped, recipe).run(batch, 1e-2, 1);

            assertEquals(norm, result.gradientNorm(), 1e-5 * norm, "torch's global norm");
            for (String name : p.names()) {
                float[] before = p.get(name).toFloatArray();
                float[] after = stepped.parameters().get(name).toFloatArray();
                float[] g = gradients.get(name);
                double decay = recipe.weightDecayOf(name);
                for (int i = 0; i < g.length; i++) {
                    double gi = g[i] * scale;
                    double m = 0.1 * gi;
                    double v = 0.001 * gi * gi;
                    double expected = before[i] * (1 - 1e-2 * decay) - 1e-2 / 0.1 * m / (Math.sqrt(v) / Math.sqrt(0.001) + 1e-8);
                    assertEquals(expected, after[i], 1e-6, name + "[" + i + "]");
                }
                assertFalse(Arrays.equals(before, after), name + " was updated");
            }
        }
    }

    /**
     * A batch cut into micro-batches (three rows at a time, by the memory budget) makes the same update as the whole
     * batch: each micro-batch's loss weighted by its share of the labelled tokens (no dropout, so the forwards agree).
     */
    @Test
    void aBatchCutIntoMicroBatchesMakesTheSameUpdateAsTheWholeBatch() {
        BertConfig still = config.toBuilder().hiddenDropoutProb(0).attentionProbsDropoutProb(0).build();
        for (boolean sparse : new boolean[] {true, false}) {
            TrainingConfig recipe = TrainingConfig.chapter().toBuilder().sparseEmbeddings(sparse).build();
            try (TokenClassifier whole = TokenClassifier.initialise(still, 42); TokenClassifier cut = TokenClassifier.initialise(still, 42)) {
                long parameters = cut.parameters().size();
                TrainingMemory threeRows = new TrainingMemory(TrainingMemory.fixedBytes(parameters)
                        + 3L * batch.length() * TrainingMemory.activationBytesPerToken(still, batch.length()) + 1);
                assertEquals(3, threeRows.rowsPerPass(still, parameters, batch.length()));
                assertTrue(batch.size() > 6, "three micro-batches: " + batch.size() + " rows");

                long trims = NativeHeap.trims();
                TrainingStep.StepResult a = TrainingStep.fresh(whole, recipe).run(batch, 1e-3, 1);
                assertEquals(trims, NativeHeap.trims(), "without a budget malloc's arenas are left as they are");
                TrainingStep.StepResult b = TrainingStep.fresh(cut, recipe, threeRows).run(batch, 1e-3, 1);

                assertEquals(1, a.microBatches());
                assertEquals(3, b.microBatches());
                assertEquals(a.loss(), b.loss(), 1e-5 * a.loss(), "the whole batch's mean loss");
                assertEquals(a.gradientNorm(), b.gradientNorm(), 1e-4 * a.gradientNorm(), "the same gradients");
                for (String name : whole.parameters().names()) {
                    float[] x = whole.parameters().get(name).toFloatArray();
                    float[] y = cut.parameters().get(name).toFloatArray();
                    for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-6, name + "[" + i + "], sparse " + sparse);
                }
            }
        }
    }

    @Test
    void aMicroBatchsActivationsBelongToItsOwnScopeNotTheStepsSoTheyAreFreedAfterItsBackward() {
        try (NDManager step = NDManager.newBaseManager(); NDManager tableScope = NDManager.newBaseManager()) {
            NDArray table = tableScope.randomNormal(new Shape(10, 4));
            long[] ids = {3, 7, 3, 1, 7, 9};
            TrainingStep.EmbeddingRows rows = TrainingStep.EmbeddingRows.of(step, table, ids);
            NDArray activation;
            try (NDManager microBatch = step.newSubManager()) {
                NDArray vectors = rows.vectors(microBatch, 1, new Shape(2, 2)); // rows 1 and 2 of a 3x2 batch
                assertEquals(new Shape(2, 2, 4), vectors.getShape());
                assertEquals(table.get(1).getFloat(0), vectors.get(0, 1).getFloat(0), "the batch's position (1,1) is id 1");
                activation = vectors.mul(2).tanh();
            }
            assertTrue(activation.isReleased(), "an array computed from the micro-batch's vectors lives in its scope");
            assertFalse(rows.rows().isReleased(), "the rows stay for the step's update");
        }
    }

    /** A step that would not fit beside what the process holds gives malloc's kept pages back first (glibc only). */
    @Test
    void aStepThatWouldPassTheBudgetBesideWhatIsResidentTrimsFirst() {
        assumeTrue(NativeHeap.residentBytes() > 0, "no /proc/self/statm: not Linux");
        try (TokenClassifier model = TokenClassifier.initialise(config, 42)) {
            TrainingMemory tight = new TrainingMemory(NativeHeap.residentBytes()); // already full: every step trims
            long before = NativeHeap.trims();
            TrainingStep.fresh(model, TrainingConfig.chapter(), tight).run(batch, 1e-3, 1);
            if (NativeHeap.trim()) assertEquals(before + 2, NativeHeap.trims(), "the step's trim, then this test's own");
            TrainingMemory roomy = new TrainingMemory(1L << 50);
            long after = NativeHeap.trims();
            TrainingStep.fresh(model, TrainingConfig.chapter(), roomy).run(batch, 1e-3, 2);
            assertEquals(after, NativeHeap.trims(), "room enough: no trim");
        }
    }
}
