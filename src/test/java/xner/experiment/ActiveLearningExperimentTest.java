package xner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.DatasetDict;
import xner.data.LabelSet;
import xner.data.LocalPanx;
import xner.data.Sentence;
import xner.data.SwissCorpus;
import xner.io.JsonOutput;
import xner.model.BertConfig;
import xner.model.ModelDirectory;
import xner.model.TokenClassifier;
import xner.select.Strategy;
import xner.testing.TestData;
import xner.testing.TinyModels;
import xner.train.EpochLog;
import xner.train.TrainingConfig;

/**
 * The active-learning simulation on real Swiss French sentences with a tiny random model and tiny rounds (8, 16):
 * each strategy's selections grow without repeats, random follows its seed and the uncertainty strategies their
 * scores, a stopped run resumes from its first unfinished round, and a folder made with other settings is refused.
 */
class ActiveLearningExperimentTest {
    @TempDir static Path dir;
    static ActiveLearningData data;
    /** A tiny "German model": a token classifier whose head has PAN-X's labels, so round 1 asks it. */
    static Path classifier;
    /** A tiny pretrained body without a head: round 1 is a random cold start. */
    static Path body;

    @BeforeAll
    static void tinySetUp() throws IOException {
        DatasetDict fr = SwissCorpus.sample(new LocalPanx(TestData.panx()), 0, List.of("fr")).get("fr");
        data = new ActiveLearningData("Swiss PAN-X fr train", fr.get("train").take(120), "fr validation",
                fr.get("validation").take(16), "fr test", fr.get("test").take(24), LabelSet.PANX);
        List<Sentence> words = new ArrayList<>(data.pool().sentences());
        words.addAll(data.test().sentences());
        words.addAll(data.validation().sentences());
        body = TinyModels.bertBody(dir.resolve("body"), words, 7);
        classifier = dir.resolve("classifier");
        try (TokenClassifier model = TokenClassifier.fromPretrained(body, LabelSet.PANX, 3)) {
            model.save(classifier, body);
        }
    }

    static ActiveLearningSettings tiny(int epochs) {
        return ActiveLearningSettings.frenchFromGerman().withRounds(List.of(8, 16)).withTarget(16, 8)
                .withTraining(TrainingConfig.chapter().toBuilder().epochs(epochs).batchSize(8).learningRate(1e-3).build());
    }

    record Outcome(ActiveLearningResults results, String log) {}

    static Outcome run(Path output, Path start, ActiveLearningSettings settings, boolean resume,
            ActiveLearningExperiment.Listener listener) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ActiveLearningExperiment e = new ActiveLearningExperiment(data, start, settings,
                new PrintStream(log, true, StandardCharsets.UTF_8), listener);
        try {
            return new Outcome(e.run(output, resume, id -> false, "experiment active-learning (test)"),
                    log.toString(StandardCharsets.UTF_8));
        } catch (RuntimeException | IOException ex) {
            System.err.println(log.toString(StandardCharsets.UTF_8));
            throw ex;
        }
    }

    static RoundSelection selection(Path output, String id) throws IOException {
        return JsonOutput.PRETTY.fromJson(Files.readString(output.resolve("runs/" + id + "/selection.json")), RoundSelection.class);
    }

    static String text(int poolIndex) {
        return String.join(" ", data.pool().get(poolIndex).words());
    }

    @Test
    void eachStrategysSelectionsGrowWithoutRepeatsAndFollowItsScores() throws IOException {
        Path out = dir.resolve("grow");
        ActiveLearningResults r = run(out, classifier, tiny(1), false, ActiveLearningExperiment.Listener.NONE).results();

        assertEquals(List.of("random-8", "mnlp-8", "entropy-8", "random-16", "mnlp-16", "entropy-16"),
                List.copyOf(r.results().keySet()));
        assertEquals("each strategy asks the starting model", r.firstRound(), "the tiny classifier has PAN-X's head");
        assertEquals(0, r.start().annotated());
        assertEquals(24, r.start().test().sentences(), "the starting model scored on the test set before any round");
        assertTrue(Files.isRegularFile(out.resolve("runs/start/result.json")));
        for (Strategy s : ActiveLearningSettings.ALL_STRATEGIES) {
            RoundSelection first = selection(out, s.wireName() + "-8");
            RoundSelection second = selection(out, s.wireName() + "-16");
            assertEquals(8, first.chosen().size());
            assertEquals(16, second.chosen().size());
            assertEquals(8, second.previously());
            assertEquals(first.chosen(), second.chosen().subList(0, 8), s + ": round 2 keeps round 1's sentences first");
            Set<String> texts = new HashSet<>();
            for (int i : second.chosen()) assertTrue(texts.add(text(i)), s + ": a text chosen twice: " + text(i));
            // the result trained on exactly these sentences
            RoundResult result = r.result(s.wireName() + "-16").orElseThrow();
            assertEquals(second.sha256(), result.selectionSha256());
            assertEquals(16, result.annotated());
            assertEquals(8, result.newlyAnnotated());
            assertTrue(result.test().f1() >= 0 && result.test().sentences() == 24);
            assertFalse(Files.exists(out.resolve("runs/" + s.wireName() + "-8/model")), "model deleted once round 2 chose");
            assertFalse(Files.exists(out.resolve("runs/" + s.wireName() + "-16/model")), "the last round's model deleted");
        }
        // random: the sentences of the lowest keys of seed 42, one per distinct text, the earliest of repeats
        Map<String, Integer> firstOfEachText = new LinkedHashMap<>();
        for (int i = 0; i < data.pool().size(); i++) firstOfEachText.putIfAbsent(text(i), i);
        List<Integer> byKey = firstOfEachText.values().stream()
                .sorted(Comparator.comparingDouble(i -> Strategy.randomKey(42, text(i)))).toList();
        assertEquals(byKey.subList(0, 16), selection(out, "random-16").chosen());
        // mnlp takes the least sure first (lowest score), entropy the most uncertain first (highest)
        RoundSelection mnlp = selection(out, "mnlp-16");
        RoundSelection entropy = selection(out, "entropy-16");
        assertTrue(mnlp.firstScore() <= mnlp.lastScore(), mnlp.toString());
        assertTrue(entropy.firstScore() >= entropy.lastScore(), entropy.toString());
        assertTrue(mnlp.chosenBy().contains("mnlp-8's model"), mnlp.chosenBy());
        assertNotEquals(selection(out, "random-8").chosen(), selection(out, "mnlp-8").chosen(), "mnlp asked the model");

        for (String f : List.of("results.json", "report.md", "report.html", "plots/active-learning.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals(2, json.getAsJsonObject("curves").getAsJsonArray("entropy").size());
        assertEquals(42, json.get("random_seed").getAsInt());
        assertEquals(2, json.getAsJsonObject("target").getAsJsonArray("strategies").size(), "random at 16 is known");

        // the same folder with another seed: refused, naming what differs
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> run(out, classifier, tiny(1).withSeed(7), true, ActiveLearningExperiment.Listener.NONE));
        assertTrue(e.getMessage().contains("made with other settings or data (seed 42 there, 7 now)"), e.getMessage());
        // and without --resume: refused before anything runs
        XnerInputException again = assertThrows(XnerInputException.class,
                () -> run(out, classifier, tiny(1), false, ActiveLearningExperiment.Listener.NONE));
        assertTrue(again.getMessage().endsWith("--resume goes on from the first unfinished one; another --output starts afresh"),
                again.getMessage());
    }

    @Test
    void aStoppedRunResumesFromItsFirstUnfinishedRound() throws IOException {
        Path out = dir.resolve("stopped");
        ActiveLearningSettings settings = tiny(2).withStrategies(List.of(Strategy.RANDOM, Strategy.MNLP));
        class Stopped extends RuntimeException { }
        List<String> selected = new ArrayList<>();
        assertThrows(Stopped.class, () -> run(out, classifier, settings, false, new ActiveLearningExperiment.Listener() {
            @Override
            public void selected(SelectionRound run, RoundSelection selection) {
                selected.add(run.id());
            }

            @Override
            public void epochEnded(SelectionRound run, EpochLog log) {
                if (run.id().equals("mnlp-16") && log.epoch() == 1) throw new Stopped();
            }
        }));
        assertEquals(List.of("random-8", "mnlp-8", "random-16", "mnlp-16"), selected);
        assertTrue(Files.isRegularFile(out.resolve("runs/random-16/result.json")));
        assertFalse(Files.exists(out.resolve("runs/mnlp-16/result.json")));
        RoundSelection chosenBeforeTheStop = selection(out, "mnlp-16");

        List<String> trained = new ArrayList<>();
        Outcome resumed = run(out, classifier, settings, true, new ActiveLearningExperiment.Listener() {
            @Override
            public void epochEnded(SelectionRound run, EpochLog log) {
                trained.add(run.id() + "@" + log.epoch());
            }
        });
        assertEquals(List.of("mnlp-16@2"), trained, "only the stopped round's last epoch");
        assertTrue(resumed.log().lines().anyMatch(l -> l.matches("\\s+random-8\\s+8\\s+8\\s+finished, skipped")), resumed.log());
        assertTrue(resumed.log().lines().anyMatch(l -> l.matches("\\s+mnlp-16\\s+16\\s+8\\s+resumes after epoch 1")), resumed.log());
        assertTrue(resumed.log().contains("[mnlp-16] 8 sentences chosen by an earlier attempt"), resumed.log());
        assertEquals(chosenBeforeTheStop, selection(out, "mnlp-16"), "the selection is not made again");
        RoundResult mnlp = resumed.results().result("mnlp-16").orElseThrow();
        assertEquals(1, mnlp.resumedFromEpoch());
        assertEquals(2, mnlp.epochs().size());
        assertEquals(0.0, mnlp.selectionSeconds(), "chosen by the earlier attempt");
        assertEquals(4, resumed.results().results().size());
    }

    @Test
    void aBodyWithoutAHeadStartsWithTheSameRandomDrawForEveryStrategy() throws IOException {
        Path out = dir.resolve("cold");
        ActiveLearningSettings settings = tiny(1).withRounds(List.of(8, 12)).withStrategies(List.of(Strategy.MNLP, Strategy.RANDOM));
        ActiveLearningResults r = run(out, body, settings, false, ActiveLearningExperiment.Listener.NONE).results();
        assertTrue(r.firstRound().startsWith("a random draw (seed 42) for every strategy"), r.firstRound());
        assertEquals(selection(out, "random-8").chosen(), selection(out, "mnlp-8").chosen());
        assertEquals("random (seed 42), cold start", selection(out, "mnlp-8").chosenBy());
        assertEquals("mnlp, by mnlp-8's model", selection(out, "mnlp-12").chosenBy(), "round 2 asks the model trained in round 1");
        assertEquals(r.result("random-8").orElseThrow().f1(), r.result("mnlp-8").orElseThrow().f1(), 1e-12,
                "the same sentences, seed and recipe: the same first point");
    }

    @Test
    void aRoundsModelLosesTheTemperatureItInheritedButKeepsTheRestOfItsConfig() throws IOException {
        Path model = dir.resolve("calibrated");
        try (TokenClassifier m = TokenClassifier.load(classifier)) {
            m.save(model, classifier);
        }
        ModelDirectory.rewriteConfig(model, ModelDirectory.readConfig(model).withTemperature(2.5));
        assertEquals(2.5, ModelDirectory.readConfig(model).temperature());
        ActiveLearningExperiment.dropInheritedTemperature(model);
        BertConfig config = ModelDirectory.readConfig(model);
        assertEquals(1.0, config.temperature(), "the next round reads this model's own probabilities");
        assertEquals(LabelSet.PANX.names(), config.id2label());
        assertTrue(config.extra().containsKey(BertConfig.TAG_SCHEME_KEY), config.extra().toString());
    }
}
