package xner.train;

import xner.tokenize.Example;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.model.BertConfig;
import xner.model.weights.SafetensorsReader;
import xner.model.TokenClassifier;
import xner.testing.SyntheticSentences;
import xner.testing.TinyModels;
import xner.tokenize.LabelAligner;
import xner.tokenize.WordPieceTokenizer;

/**
 * What {@link FineTuner}'s run leaves on disk, read back: a checkpoint left as {@code checkpoints.old}, a saved
 * model missing a tensor, a mistyped trainer state. A tiny random BERT on synthetic sentences (no fact of PAN-X is
 * asserted, so these run without {@code XNER_DATA}); {@link FineTunerTest} trains on real PAN-X sentences.
 */
class FineTunerFilesTest {
    @TempDir static Path dir;
    static List<Example> train;
    static List<Example> validation;
    static Path tokenizerDir;
    static BertConfig config;
    static int padId;

    @BeforeAll
    static void tinySetUp() throws IOException {
        Dataset german = SyntheticSentences.german(24, 42);
        tokenizerDir = dir.resolve("tokenizer");
        int vocab = TinyModels.wordTokenizer(tokenizerDir, german);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(tokenizerDir.resolve("vocab.txt"))) {
            LabelAligner aligner = new LabelAligner(LabelSet.PANX);
            train = Example.encode(german.take(16), tokenizer, aligner);
            validation = Example.encode(german.skip(16), tokenizer, aligner);
            padId = tokenizer.padId();
        }
        config = TinyModels.wordLevelBert(vocab).withLabels(LabelSet.PANX.names());
    }

    private static FineTuner.Result run(Path output, FineTuner.EpochListener listener, boolean resume) throws IOException {
        TrainingConfig recipe = TrainingConfig.chapter().withEpochs(2).withBatchSize(8).withLearningRate(1e-3);
        return new FineTuner(recipe, new PrintStream(new ByteArrayOutputStream()), listener, TrainingMemory.UNLIMITED)
                .train(() -> TokenClassifier.initialise(config, 42), tokenizerDir, train, validation, padId, output, resume);
    }

    @Test
    void resumeFindsTheCheckpointThatADeathBetweenTheTwoRenamesLeftAsOld() throws IOException {
        Path out = dir.resolve("cut");
        class Killed extends RuntimeException { }
        assertThrows(Killed.class, () -> run(out, log -> { throw new Killed(); }, false));
        Files.move(out.resolve("checkpoints"), out.resolve("checkpoints.old")); // as if killed between the renames
        FineTuner.Result resumed = run(out, log -> { }, true);
        assertEquals(2, resumed.epochs().size(), "epoch 1 came from checkpoints.old, only epoch 2 was trained");
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/trainer_state.json")));
    }


    @Test
    void aFineTunedModelWithAMissingTensorIsRefusedNamingIt() throws IOException {
        Path out = dir.resolve("truncated");
        run(out, log -> { }, false);
        Path weights = out.resolve("model.safetensors");
        // rewrite the file without the head's bias, with the writer the model uses
        rewriteWithout(weights, "classifier.bias");
        xner.XnerInputException e = assertThrows(xner.XnerInputException.class, () -> TokenClassifier.load(out));
        assertTrue(e.getMessage().startsWith(weights + ": 1 tensors of the model are missing: [classifier.bias]"), e.getMessage());
    }

    private static void rewriteWithout(Path weights, String dropped) throws IOException {
        List<xner.model.weights.SafetensorsWriter.Tensor> tensors = new java.util.ArrayList<>();
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            for (String name : new java.util.TreeSet<>(r.names())) {
                if (name.equals(dropped)) continue;
                float[] values = r.read(name);
                tensors.add(new xner.model.weights.SafetensorsWriter.Tensor(name, r.shape(name), () -> values));
            }
        }
        xner.model.weights.SafetensorsWriter.write(weights, tensors, java.util.Map.of("format", "pt"));
    }

    @Test
    void aMistypedTrainerStateNamesItsFileAndField() throws IOException {
        Path out = dir.resolve("mistyped");
        Path state = Files.createDirectories(out.resolve("checkpoints")).resolve("trainer_state.json");
        Files.writeString(state, "{\"epochsDone\": 1, \"globalStep\": \"six\", \"epochs\": []}");
        xner.XnerInputException e = assertThrows(xner.XnerInputException.class, () -> run(out, log -> { }, true));
        assertEquals(state + ": not a trainer state (field globalStep is \"six\", expected a whole number)", e.getMessage());
    }
}
