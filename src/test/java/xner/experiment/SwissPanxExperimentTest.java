package xner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.DatasetDict;
import xner.data.LocalPanx;
import xner.data.SwissCorpus;
import xner.testing.TestData;
import xner.testing.TinyModels;
import xner.train.TrainingConfig;

/**
 * The experiment end to end on the real Swiss corpus with a tiny random body and tiny sizes: every part runs
 * and reports; a finished sub-run is skipped on a rerun; a killed one resumes from its checkpoint; a folder made
 * with other settings is refused.
 */
@Tag("slow")
class SwissPanxExperimentTest {
    @TempDir static Path dir;
    static Map<String, DatasetDict> corpus;
    static Path body;

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
        SwissCorpus swiss = SwissCorpus.sample(new LocalPanx(TestData.panx()), 0);
        corpus = new java.util.LinkedHashMap<>();
        for (String lang : swiss.languages()) corpus.put(lang, swiss.get(lang));
        body = TinyModels.bertBody(dir.resolve("body"), SubRun.LANGS.stream().flatMap(l -> swiss.get(l).get("train").take(100).stream()).toList(), 7);
    }

    static ExperimentSettings tiny(int epochs) {
        return ExperimentSettings.quickRun().withEpochs(epochs).withCurveEpochs(epochs).withCurveSizes(List.of(16, 32))
                .withCaps(48, 16, 24).withTraining(TrainingConfig.chapter().withBatchSize(8).withLearningRate(1e-3));
    }

    record Outcome(ExperimentResults results, String log) {}

    static Outcome run(Path output, ExperimentSettings settings, Set<SubRun.Group> parts, Predicate<String> keep,
            SwissPanxExperiment.Listener listener) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SwissPanxExperiment e = new SwissPanxExperiment(corpus, 0, body, settings, new PrintStream(log, true,
                StandardCharsets.UTF_8), listener);
        try {
            return new Outcome(e.run(output, parts, keep, "experiment swiss-panx (test)"), log.toString(StandardCharsets.UTF_8));
        } catch (RuntimeException | IOException ex) {
            System.err.println(log.toString(StandardCharsets.UTF_8));
            throw ex;
        }
    }

    @Test
    void everyPartRunsAndTheReportHasTheFinalTable() throws IOException {
        Path out = dir.resolve("all-parts");
        ExperimentResults r = run(out, tiny(1), EnumSet.allOf(SubRun.Group.class), id -> false, SwissPanxExperiment.Listener.NONE).results();

        assertEquals(List.of("de", "curve-16", "curve-32", "de-fr", "each-fr", "each-it", "each-en", "all"),
                List.copyOf(r.results().keySet()));
        for (String id : r.results().keySet()) {
            assertTrue(Files.isRegularFile(out.resolve("runs/" + id + "/result.json")), id);
            assertFalse(Files.exists(out.resolve("runs/" + id + "/model")), id + ": model deleted after scoring");
        }
        r.finalTable().forEach((row, cells) -> cells.forEach((lang, f1) -> assertNotNull(f1, row + " " + lang)));
        assertEquals(List.of("de", "fr", "it", "en"), List.copyOf(r.result("de").orElseThrow().test().keySet()));
        assertEquals(List.of("it"), List.copyOf(r.result("each-it").orElseThrow().test().keySet()));
        assertTrue(r.result("each-it").orElseThrow().test().get("it").note().contains("dev"), "Italian test provenance");
        assertEquals(24, r.result("all").orElseThrow().test().get("en").sentences());
        assertEquals(64, r.result("all").orElseThrow().validationSentences()); // 16 per language

        // the curve's training sets are the first N French sentences after shuffle(42)
        SubRunResult c16 = r.result("curve-16").orElseThrow();
        assertEquals(16, c16.trainSentences());
        assertEquals(SwissPanxExperiment.fingerprint(corpus.get("fr").get("train").shuffle(42).take(16)),
                c16.spec().get("train_sha256").getAsString());
        assertEquals(2, r.curve().size());
        assertTrue(r.crossover().isPresent());

        SubRunResult de = r.result("de").orElseThrow();
        assertNotNull(de.analysis(), "the German sub-run carries the error analysis");
        assertTrue(de.analysis().confusion().total() > 16, "every labelled word of 16 validation sentences");
        assertEquals(1, de.epochs().size());
        assertTrue(de.wallSeconds() > 0 && de.trainingSeconds() > 0);

        for (String f : List.of("results.json", "report.md", "report.html", "plots/learning-curve.png",
                "plots/learning-curve.svg", "plots/epochs-loss.png", "plots/confusion-de-validation.svg")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals(r.finalTable().get("all").get("it"),
                json.getAsJsonObject("final_table").getAsJsonObject("all").get("it").getAsDouble(), 1e-12);
        assertEquals(12580, json.getAsJsonObject("corpus").getAsJsonObject("sizes").getAsJsonObject("de").get("train").getAsInt());
        assertEquals(42, json.getAsJsonObject("settings").get("training_seed").getAsInt());
        assertTrue(json.getAsJsonObject("provenance").getAsJsonObject("inputs").size() == 2, "the body's files, hashed");
    }

    @Test
    void aFinishedSubRunIsSkippedOnARerun() throws IOException {
        Path out = dir.resolve("skip");
        Set<SubRun.Group> each = EnumSet.of(SubRun.Group.EACH);
        ExperimentResults first = run(out, tiny(1), each, id -> false, SwissPanxExperiment.Listener.NONE).results();
        AtomicInteger epochs = new AtomicInteger();
        Outcome again = run(out, tiny(1), each, id -> false, (sub, log) -> epochs.incrementAndGet());
        assertEquals(0, epochs.get(), "nothing trained again");
        assertTrue(again.log().lines().anyMatch(l -> l.matches("\\s+each-it\\s+it\\s+48\\s+1\\s+6\\s+finished, skipped")),
                again.log());
        assertEquals(first.result("each-it").orElseThrow().finishedAt(), again.results().result("each-it").orElseThrow().finishedAt());
        assertEquals("experiment swiss-panx (test)", again.results().result("each-it").orElseThrow().finishedBy().command(),
                "a sub-run read back keeps the command that finished it");

        // a later run of another part reports the earlier parts beside it
        ExperimentResults withDe = run(out, tiny(1), EnumSet.of(SubRun.Group.DE), id -> false, SwissPanxExperiment.Listener.NONE).results();
        assertEquals(List.of("de", "each-fr", "each-it", "each-en"), List.copyOf(withDe.results().keySet()));
        assertNotNull(withDe.finalTable().get("each").get("de"));
        assertNotNull(withDe.finalTable().get("each").get("en"));
    }

    @Test
    void aKilledSubRunResumesFromItsLastEpoch() throws IOException {
        Set<SubRun.Group> each = EnumSet.of(SubRun.Group.EACH);
        ExperimentResults whole = run(dir.resolve("whole"), tiny(2), each, id -> false, SwissPanxExperiment.Listener.NONE).results();

        Path out = dir.resolve("killed");
        class Killed extends RuntimeException { }
        assertThrows(Killed.class, () -> run(out, tiny(2), each, id -> false, (sub, log) -> {
            if (sub.id().equals("each-it") && log.epoch() == 1) throw new Killed();
        }));
        assertTrue(Files.isRegularFile(out.resolve("runs/each-fr/result.json")), "the part before it is finished");
        assertTrue(Files.isRegularFile(out.resolve("runs/each-it/model/checkpoints/trainer_state.json")));
        assertFalse(Files.exists(out.resolve("runs/each-it/result.json")));

        List<String> trained = new ArrayList<>();
        Outcome resumed = run(out, tiny(2), each, id -> false, (sub, log) -> trained.add(sub.id() + "@" + log.epoch()));
        assertEquals(List.of("each-it@2", "each-en@1", "each-en@2"), trained, "only what was missing");
        assertTrue(resumed.log().contains("[each-it] resuming after epoch 1"), resumed.log());
        SubRunResult it = resumed.results().result("each-it").orElseThrow();
        assertEquals(1, it.resumedFromEpoch());
        assertEquals(2, it.epochs().size());
        SubRunResult uninterrupted = whole.result("each-it").orElseThrow();
        assertEquals(uninterrupted.epochs().get(1).trainingLoss(), it.epochs().get(1).trainingLoss(), 1e-9);
        assertEquals(uninterrupted.f1("it"), it.f1("it"), 1e-9);
        assertFalse(Files.exists(out.resolve("runs/each-it/model")), "model and checkpoints deleted once finished");
    }

    @Test
    void aFolderMadeWithOtherSettingsIsRefused() throws IOException {
        Path out = dir.resolve("other");
        Set<SubRun.Group> each = EnumSet.of(SubRun.Group.EACH);
        run(out, tiny(1), each, id -> false, SwissPanxExperiment.Listener.NONE);
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> run(out, tiny(2), each, id -> false, SwissPanxExperiment.Listener.NONE));
        assertTrue(e.getMessage().contains("runs/each-fr/result.json: made with other settings"), e.getMessage());
        assertTrue(e.getMessage().contains("(training.num_train_epochs 1 there, 2 now)"), e.getMessage());
    }

    @Test
    void keptModelsLoseOnlyTheirCheckpoints() throws IOException {
        Path out = dir.resolve("keep");
        run(out, tiny(1), EnumSet.of(SubRun.Group.EACH), id -> id.equals("each-en"), SwissPanxExperiment.Listener.NONE);
        assertTrue(Files.isRegularFile(out.resolve("runs/each-en/model/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("runs/each-en/model/config.json")));
        assertFalse(Files.exists(out.resolve("runs/each-en/model/checkpoints")));
        assertFalse(Files.exists(out.resolve("runs/each-fr/model")));
        String record = Files.readString(out.resolve("runs/each-en/model/xner-run.json"));
        assertTrue(record.contains("\"sub_run\": \"each-en\""), "a kept model carries its run record: " + record);
    }

    @Test
    void aSmallerCorpusThanTheCurveAsksForIsOneClearError() {
        ExperimentSettings tooMany = tiny(1).withCurveSizes(List.of(5000));
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> run(dir.resolve("too-many"), tooMany, EnumSet.of(SubRun.Group.CURVE), id -> false,
                        SwissPanxExperiment.Listener.NONE));
        assertEquals("learning curve: 5000 sentences asked for, but the fr training split has 4580", e.getMessage());
    }
}
