package xner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.evaluate.EntityScores;
import xner.select.Strategy;
import xner.train.RunRecord;

/**
 * The active-learning plan, the target read off the curves and the report, from results made up here: no model, no
 * data, milliseconds.
 */
class ActiveLearningReportTest {
    @TempDir Path dir;

    @Test
    void thePlanGoesRoundByRoundEachRoundFollowingItsStrategysLast() {
        ActiveLearningSettings s = ActiveLearningSettings.frenchFromGerman();
        List<SelectionRound> plan = SelectionRound.plan(s);
        assertEquals(List.of("random-100", "mnlp-100", "entropy-100", "random-250", "mnlp-250", "entropy-250", "random-500",
                "mnlp-500", "entropy-500", "random-1000", "mnlp-1000", "entropy-1000"),
                plan.stream().map(SelectionRound::id).toList());
        SelectionRound mnlp500 = plan.get(7);
        assertEquals(3, mnlp500.round());
        assertEquals("mnlp-250", mnlp500.previous().id());
        assertEquals(250, mnlp500.newlyAnnotated());
        assertNull(plan.get(1).previous());
        assertEquals(100, plan.get(1).newlyAnnotated());
        assertEquals(List.of(250, 500, 1000, 2000), ActiveLearningSettings.dutch().rounds());
        assertEquals(256, ActiveLearningSettings.dutch().maxLength());
    }

    @Test
    void settingsRefuseRoundsOutOfOrderAndAStrategyTwice() {
        ActiveLearningSettings s = ActiveLearningSettings.dutch();
        assertThrows(IllegalArgumentException.class, () -> s.withRounds(List.of(500, 250)));
        assertThrows(IllegalArgumentException.class, () -> s.withRounds(List.of(0, 250)));
        assertThrows(IllegalArgumentException.class, () -> s.withStrategies(List.of(Strategy.MNLP, Strategy.MNLP)));
        assertThrows(IllegalArgumentException.class, () -> s.withStrategies(List.of()));
    }

    /** Results of the French setting with these F1 per strategy at 100, 250, 500, 1000 (null: not finished). */
    static ActiveLearningResults results(Map<Strategy, List<Double>> f1) {
        ActiveLearningSettings s = ActiveLearningSettings.frenchFromGerman();
        List<SelectionRound> plan = SelectionRound.plan(s);
        Map<String, RoundResult> done = new LinkedHashMap<>();
        for (SelectionRound run : plan) {
            Double f = f1.get(run.strategy()).get(s.rounds().indexOf(run.annotated()));
            if (f == null) continue;
            var perType = Map.of("PER", new EntityScores.Score(f, f, f, 10), "LOC", new EntityScores.Score(1, 1, 1, 5));
            var score = new SubRunResult.LanguageScore(2290, 0.1, f, f, f, 15, perType, null);
            done.put(run.id(), new RoundResult(run.id(), run.strategy().wireName(), run.round(), run.annotated(),
                    run.newlyAnnotated(), run.strategy().wireName() + ", by the starting model", "sha", List.of(), score,
                    12.5, 60, 7, 80, 0, "2026-12-07T00:00:00Z", new SubRunResult.FinishedBy("abc1234", "experiment active-learning (test)"),
                    new JsonObject()));
        }
        var zeroShot = new SubRunResult.LanguageScore(2290, 0.3, 0.75, 0.75, 0.7523, 15, Map.of(), null);
        RoundResult start = new RoundResult("start", "none", 0, 0, 0, "nothing", "none", List.of(), zeroShot, 0, 0, 9, 9, 0,
                "2026-12-07T00:00:00Z", new SubRunResult.FinishedBy("abc1234", "experiment active-learning (test)"), new JsonObject());
        return new ActiveLearningResults(s, RunRecord.capture("experiment active-learning (test)", List.of(), 42, Map.of()),
                "de", "each strategy asks the starting model", start, Map.of("pool", 4580, "validation", 2290, "test", 2290),
                Map.of("pool", "fr train", "validation", "fr validation", "test", "fr test"), List.of("O", "B-PER"), plan, done);
    }

    @Test
    void theTargetIsMetWhenMnlpReachesRandomsF1At1000WithAtMost500() {
        ActiveLearningResults r = results(Map.of(
                Strategy.RANDOM, List.of(0.70, 0.74, 0.78, 0.82),
                Strategy.MNLP, List.of(0.71, 0.79, 0.83, 0.86),
                Strategy.ENTROPY, List.of(0.70, 0.75, 0.80, 0.815)));
        List<ActiveLearningResults.Saving> savings = r.savings();
        assertEquals(List.of(Strategy.MNLP, Strategy.ENTROPY), savings.stream().map(ActiveLearningResults.Saving::strategy).toList());
        ActiveLearningResults.Saving mnlp = savings.get(0);
        assertTrue(mnlp.met());
        assertEquals(500, mnlp.reachedAt());
        assertEquals(0.82, mnlp.randomF1(), 1e-12);
        ActiveLearningResults.Saving entropy = savings.get(1);
        assertFalse(entropy.met());
        assertNull(entropy.reachedAt(), "0.815 at 1000 is still below 0.82");
        assertEquals("entropy does not reach random's F1 at 1,000 sentences (0.8200) in the rounds run: target (at most "
                + "500) missed; at 500 sentences its F1 is 0.8000, 0.0200 short", entropy.sentence());
    }

    @Test
    void reachedOnlyPastTheBudgetIsMissedByTheGapAtTheBudget() {
        ActiveLearningResults r = results(Map.of(
                Strategy.RANDOM, List.of(0.70, 0.74, 0.78, 0.82),
                Strategy.MNLP, List.of(0.70, 0.75, 0.81, 0.83),
                Strategy.ENTROPY, java.util.Arrays.asList(0.70, null, null, null)));
        ActiveLearningResults.Saving mnlp = r.savings().get(0);
        assertFalse(mnlp.met());
        assertEquals(1000, mnlp.reachedAt());
        assertTrue(mnlp.sentence().endsWith("at 500 sentences its F1 is 0.8100, 0.0100 short"), mnlp.sentence());
        assertNull(r.savings().get(1).f1AtBudget(), "entropy's round at 500 has not finished");
    }

    @Test
    void noTargetUntilRandomsRoundAt1000HasFinished() {
        ActiveLearningResults r = results(Map.of(
                Strategy.RANDOM, java.util.Arrays.asList(0.70, 0.74, 0.78, null),
                Strategy.MNLP, java.util.Arrays.asList(0.71, 0.79, null, null),
                Strategy.ENTROPY, java.util.Arrays.asList(0.70, null, null, null)));
        assertEquals(List.of(), r.savings());
        assertEquals(List.of(new ActiveLearningResults.CurvePoint(100, 0.71), new ActiveLearningResults.CurvePoint(250, 0.79)),
                r.curves().get(Strategy.MNLP));
    }

    @Test
    void theReportHasTheCurveThePlotTheSeedAndTheCommands() throws IOException {
        ActiveLearningResults r = results(Map.of(
                Strategy.RANDOM, List.of(0.70, 0.74, 0.78, 0.82),
                Strategy.MNLP, List.of(0.71, 0.79, 0.83, 0.86),
                Strategy.ENTROPY, java.util.Arrays.asList(0.70, 0.75, null, null)));
        ActiveLearningReport.write(dir, r);
        for (String f : List.of("results.json", "report.md", "report.html", "plots/active-learning.png", "plots/active-learning.svg")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| annotated sentences | random | mnlp | entropy |"), md);
        assertTrue(md.contains("| 500 | 0.7800 | 0.8300 | — |"), md);
        assertTrue(md.contains("| 0 (the starting model) | 0.7523 | 0.7523 | 0.7523 |"), md);
        assertTrue(md.contains("**Seed of random: 42**"), md);
        assertTrue(md.contains("**mnlp reaches random's F1 at 1,000 sentences (0.8200) with 500 sentences: target (at most 500) met**"), md);
        assertTrue(md.contains("![Test F1 against annotated sentences, one line per strategy](plots/active-learning.png)"), md);
        assertTrue(md.contains("bin/xner experiment active-learning (test)"), md);
        assertTrue(md.contains("| sub-run | annotated | precision | recall | F1 | F1 LOC | F1 PER |"), md);
        assertTrue(md.contains("| mnlp-250 | 250 | 0.7900 | 0.7900 | 0.7900 | 1.0000 | 0.7900 |"), "per-type F1: " + md);
        assertTrue(md.contains("CPU " + xner.model.Precision.cpuModel()), md);

        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
        assertEquals(42, json.get("random_seed").getAsInt());
        assertEquals(0.7523, json.getAsJsonObject("start").getAsJsonObject("test").get("f1").getAsDouble(), 1e-12);
        assertEquals(4, json.getAsJsonObject("curves").getAsJsonArray("mnlp").size());
        assertEquals(2, json.getAsJsonObject("curves").getAsJsonArray("entropy").size());
        assertTrue(json.getAsJsonObject("target").getAsJsonArray("strategies").get(0).getAsJsonObject().get("met").getAsBoolean());
        assertEquals(0.86, json.getAsJsonObject("runs").getAsJsonObject("mnlp-1000").getAsJsonObject("test").get("f1").getAsDouble(), 1e-12);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<img src=\"plots/active-learning.svg\""), html);
    }
}
