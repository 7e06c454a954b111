package xner.train;

import xner.tokenize.Example;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.PanxReader;
import xner.model.BertConfig;
import xner.model.weights.SafetensorsReader;
import xner.model.Precision;
import xner.model.TokenClassifier;
import xner.testing.TestData;
import xner.testing.TinyModels;
import xner.tokenize.LabelAligner;
import xner.tokenize.WordPieceTokenizer;
import xner.evaluate.Evaluation;

/**
 * End to end on real PAN-X sentences with a tiny random BERT: train, evaluate, kill, resume. What a run leaves on disk,
 * read back (a checkpoint left as {@code checkpoints.old}, a missing tensor, a mistyped trainer state), is
 * {@link FineTunerFilesTest}, on synthetic sentences.
 */
class FineTunerTest {
    @TempDir static Path dir;
    static List<Example> train;
    static List<Example> validation;
    static Path tokenizerDir;
    static BertConfig config;
    static int padId;

    private static boolean made;

    /**
     * Made before the first test, not in {@code @BeforeAll}: without its input each test skips with the reason, and
     * surefire's report counts them (a skip in {@code @BeforeAll} leaves neither the tests nor the reason there).
     */
    @BeforeEach
    void madeOnce() throws IOException {
        if (!made) tinySetUp();
        made = true;
    }

    static void tinySetUp() throws IOException {
        Dataset german = Dataset.read(new PanxReader(LabelSet.PANX), TestData.panx().resolve("de/train")).take(72);
        tokenizerDir = dir.resolve("tokenizer");
        int vocab = TinyModels.wordTokenizer(tokenizerDir, german);
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(tokenizerDir.resolve("vocab.txt"))) {
            LabelAligner aligner = new LabelAligner(LabelSet.PANX);
            train = Example.encode(german.take(48), tokenizer, aligner);
            validation = Example.encode(german.skip(48), tokenizer, aligner);
            padId = tokenizer.padId();
        }
        config = TinyModels.wordLevelBert(vocab).withLabels(LabelSet.PANX.names());
    }

    private static TrainingConfig recipe() {
        return TrainingConfig.chapter().withEpochs(2).withBatchSize(8).withLearningRate(1e-3);
    }

    private static FineTuner.Result run(Path output, FineTuner.EpochListener listener, boolean resume) throws IOException {
        return run(recipe(), output, listener, resume);
    }

    private static FineTuner.Result run(TrainingConfig recipe, Path output, FineTuner.EpochListener listener, boolean resume)
            throws IOException {
        return new FineTuner(recipe, new PrintStream(new ByteArrayOutputStream()), listener, TrainingMemory.UNLIMITED)
                .train(() -> TokenClassifier.initialise(config, 42), tokenizerDir, train, validation, padId, output, resume);
    }

    private static float[] weights(Path modelDir, String name) {
        try (SafetensorsReader r = SafetensorsReader.open(modelDir.resolve("model.safetensors"))) {
            return r.read(name);
        }
    }

    @Tag("slow")
    @Test
    void killedAndResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
        Path whole = dir.resolve("whole");
        FineTuner.Result uninterrupted = run(whole, log -> { }, false);

        Path killed = dir.resolve("killed");
        class Killed extends RuntimeException { }
        assertThrows(Killed.class, () -> run(killed, log -> { throw new Killed(); }, false));
        assertTrue(Files.isRegularFile(killed.resolve("checkpoints/trainer_state.json")), "the checkpoint of epoch 1");
        FineTuner.Result resumed = run(killed, log -> { }, true);

        assertEquals(2, resumed.epochs().size());
        assertEquals(uninterrupted.epochs().get(1).trainingLoss(), resumed.epochs().get(1).trainingLoss(), 1e-9);
        for (String name : List.of("classifier.weight", "bert.embeddings.word_embeddings.weight",
                "bert.encoder.layer.1.output.dense.weight")) {
            assertArrayEquals(weights(whole, name), weights(killed, name), 0f, name);
        }
        assertTrue(Files.isRegularFile(killed.resolve(FineTuner.LOG)));
        assertEquals(Files.readAllLines(whole.resolve(FineTuner.STEPS)), Files.readAllLines(killed.resolve(FineTuner.STEPS)),
                "the step log of a resumed run is the uninterrupted one's");
        assertTrue(Files.isRegularFile(killed.resolve("tokenizer.json")));
    }

    @Tag("slow")
    @Test
    void sameSeedSameLossCurveAndTheLossFalls() throws IOException {
        FineTuner.Result a = run(dir.resolve("a"), log -> { }, false);
        FineTuner.Result b = run(dir.resolve("b"), log -> { }, false);
        for (int e = 0; e < 2; e++) assertEquals(a.epochs().get(e).trainingLoss(), b.epochs().get(e).trainingLoss(), 0.0);
        assertTrue(a.epochs().get(1).trainingLoss() < a.epochs().get(0).trainingLoss(), a.epochs().toString());
        assertEquals(validation.size(), a.validation().words().gold().size());
        // the step log counts each batch's padded tokens; the epoch log, the arithmetic they took
        List<String> steps = Files.readAllLines(dir.resolve("a").resolve(FineTuner.STEPS));
        assertTrue(steps.get(0).endsWith("\tpadded_tokens"), steps.get(0));
        long padded = steps.stream().skip(1).filter(l -> l.startsWith("1\t"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf('\t') + 1))).sum();
        assertTrue(padded > 0);
        double gflop = a.epochs().get(0).trainingGflop();
        assertTrue(gflop > 0 && a.epochs().get(0).gflopPerSecond() > 0, a.epochs().toString());
    }

    @Test
    void savedModelLoadsWithItsLabelsAndGivesTheSameEvaluation() throws IOException {
        Path out = dir.resolve("saved");
        FineTuner.Result r = run(out, log -> { }, false);
        try (TokenClassifier loaded = TokenClassifier.load(out)) {
            assertEquals(LabelSet.PANX, loaded.labels());
            Evaluation again = Evaluation.run(loaded, validation, 5, padId);
            assertEquals(r.validation().loss(), again.loss(), 1e-5);
            assertEquals(r.validation().scores().f1(), again.scores().f1(), 1e-12);
        }
    }

    @Test
    void aFullDiskIsRefusedBeforeTrainingAndAHalfWrittenCheckpointIsRemoved() throws Exception {
        Path disk = Files.createDirectory(dir.resolve("small-disk"));
        TinyDisk.mount(disk, "128k"); // the tiny model needs ~0.5 MB (checkpoint and model): too big from the start
        try {
            XnerInputException refused = assertThrows(XnerInputException.class, () -> run(disk.resolve("out"), log -> { }, false));
            assertTrue(refused.getMessage().startsWith(disk.resolve("out") + ": ") && refused.getMessage().contains("GB free"),
                    refused.getMessage());
            assertFalse(Files.exists(disk.resolve("out/checkpoints.tmp")));
        } finally {
            TinyDisk.unmount(disk);
        }
        TinyDisk.mount(disk, "64m");
        try {
            // room at the start; after the first checkpoint the disk fills up to a few pages above the estimate
            Path out = disk.resolve("out");
            XnerInputException full = assertThrows(XnerInputException.class,
                    () -> run(out, log -> TinyDisk.fillLeavingLessThan(disk, out.resolve("checkpoints")), false));
            assertTrue(full.getMessage().contains("no space left on device while writing the checkpoint of epoch 2")
                    && full.getMessage().contains(out.resolve("checkpoints.tmp").toString())
                    && full.getMessage().contains("the checkpoint before it in " + out.resolve("checkpoints") + " stays"),
                    full.getMessage());
            assertFalse(Files.exists(out.resolve("checkpoints.tmp")), "the partial write is removed");
            assertTrue(Files.isRegularFile(out.resolve("checkpoints/trainer_state.json")), "epoch 1's checkpoint stays");
        } finally {
            TinyDisk.unmount(disk);
        }
    }

    /** bf16 trains (the loss falls), its checkpoint says so, and a resume in fp32 is refused, naming what to do. */
    @Test
    void aBf16RunResumesInBf16Only() throws IOException {
        Path out = dir.resolve("bf16");
        TrainingConfig bf16 = recipe().toBuilder().precision(Precision.BF16).build();
        class Killed extends RuntimeException { }
        assertThrows(Killed.class, () -> run(bf16, out, log -> { throw new Killed(); }, false));
        assertTrue(Files.readString(out.resolve("checkpoints/trainer_state.json")).contains("\"precision\": \"bf16\""));
        assertEquals(java.util.Optional.of(Precision.BF16), FineTuner.checkpointPrecision(out), "what a plain --resume keeps");
        assertEquals(java.util.Optional.empty(), FineTuner.checkpointPrecision(dir.resolve("never-trained")));
        XnerInputException e = assertThrows(XnerInputException.class, () -> run(out, log -> { }, true));
        assertTrue(e.getMessage().contains("trained in bf16, this run asks for fp32: resume with --precision bf16"),
                e.getMessage());
        FineTuner.Result resumed = run(bf16, out, log -> { }, true);
        assertEquals(2, resumed.epochs().size());
        assertTrue(resumed.epochs().get(1).trainingLoss() < resumed.epochs().get(0).trainingLoss(), resumed.epochs().toString());
    }
}
