package xner.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.LabelSet;
import xner.evaluate.ConfusionMatrix;
import xner.evaluate.EntityScores;
import xner.evaluate.ErrorAnalysis;
import xner.train.EpochLog;
import xner.train.RunRecord;

/** The report writer on made-up results: which files, which tables, which numbers. No model involved. */
class ExperimentReportTest {
    @TempDir Path dir;

    static SubRunResult result(SubRun run, Map<String, Double> f1, SubRunResult.Analysis analysis) {
        Map<String, SubRunResult.LanguageScore> test = new LinkedHashMap<>();
        f1.forEach((lang, f) -> test.put(lang, new SubRunResult.LanguageScore(100, 0.3, f, f, f, 50,
                Map.of("PER", new EntityScores.Score(f, f, f, 50)), lang.equals("it") ? "taken from dev" : null)));
        List<EpochLog> epochs = List.of(new EpochLog(1, 10, 0.9, 0.5, 0.6, 0.6, 0.6, 12, 1200),
                new EpochLog(2, 20, 0.4, 0.35, 0.7, 0.7, 0.7, 11, 0));
        return new SubRunResult(run.id(), run.group().label(), run.trainLangs(), 240, 100, 20, epochs, test, 3725,
                23, 4, 0, "2024-01-01T00:00:00Z", new SubRunResult.FinishedBy("abc1234", "experiment swiss-panx --only " + run.group().label()),
                analysis, new JsonObject());
    }

    static ExperimentResults results(Map<String, SubRunResult> done) {
        ExperimentSettings settings = ExperimentSettings.chapter().withEpochs(2);
        RunRecord provenance = RunRecord.capture("experiment swiss-panx --output x", List.of(), 42, Map.of("epochs", 2));
        Map<String, Map<String, Integer>> sizes = new LinkedHashMap<>();
        for (String lang : SubRun.LANGS) sizes.put(lang, Map.of("train", 1000, "validation", 500, "test", 500));
        return new ExperimentResults(settings, provenance, "tiny-bert", 0, sizes,
                Map.of("it", Map.of("test", "taken from dev")), SubRun.plan(settings), done);
    }

    static SubRun planned(String id) {
        return SubRun.plan(ExperimentSettings.chapter().withEpochs(2)).stream().filter(r -> r.id().equals(id))
                .findFirst().orElseThrow();
    }

    static Map<String, SubRunResult> finished() {
        long[][] counts = new long[7][7];
        for (int i = 0; i < 7; i++) counts[i][i] = 10;
        counts[1][3] = 10; // half the B-PER taken for B-ORG
        var analysis = new SubRunResult.Analysis("de validation", new ConfusionMatrix(LabelSet.PANX, counts),
                List.of(new ErrorAnalysis.LossGroup("(", 3, 1.5, 4.5)), List.of(new ErrorAnalysis.LossGroup("I-ORG", 3, 1.5, 4.5)));
        Map<String, SubRunResult> done = new LinkedHashMap<>();
        done.put("de", result(planned("de"), Map.of("de", 0.85, "fr", 0.70, "it", 0.68, "en", 0.57), analysis));
        done.put("curve-250", result(planned("curve-250"), Map.of("fr", 0.60), null));
        done.put("curve-500", result(planned("curve-500"), Map.of("fr", 0.68), null));
        done.put("curve-1000", result(planned("curve-1000"), Map.of("fr", 0.74), null));
        done.put("each-fr", result(planned("each-fr"), Map.of("fr", 0.84), null));
        return done;
    }

    @Test
    void writesResultsReportsAndReadablePlots() throws IOException {
        ExperimentReport.write(dir, results(finished()));
        for (String f : List.of("results.json", "report.md", "report.html")) assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        for (String plot : List.of("learning-curve", "epochs-loss", "epochs-f1", "confusion-de-validation")) {
            BufferedImage png = ImageIO.read(dir.resolve("plots/" + plot + ".png").toFile());
            assertTrue(png.getWidth() >= 600 && png.getHeight() >= 400, plot);
            assertTrue(Files.readString(dir.resolve("plots/" + plot + ".svg")).contains("<svg"), plot);
        }
        assertFalse(Files.exists(dir.resolve("plots/learning-curve.png.tmp")));
    }

    @Test
    void markdownHasTheFinalTableBesideTheChaptersNumbers() throws IOException {
        ExperimentReport.write(dir, results(finished()));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| de | 0.8500 | 0.7000 | 0.6800 | 0.5700 |"), md);
        assertTrue(md.contains("| de (chapter) | 0.8677 | 0.7141 | 0.6923 | 0.5890 |"), md);
        assertTrue(md.contains("| each | 0.8500 | 0.8400 | — | — |"), md);   // German's cell is the German run
        assertTrue(md.contains("| all (chapter) | 0.8682 | 0.8647 | 0.8575 | 0.7870 |"), md);
        assertTrue(md.contains("| 1,000 | 0.7400 | 0.7000 |"), md);          // a curve row beside the zero-shot line
        assertTrue(md.contains("| 1 | 10 | 0.9000 | 0.5000 | 0.6000 | 0.6000 | 0.6000 | 12 | 100.0 |"), md); // 1,200 GFLOP in 12 s
        assertTrue(md.contains("| 2 | 20 | 0.4000 | 0.3500 | 0.7000 | 0.7000 | 0.7000 | 11 | — |"), md);   // not recorded
        assertTrue(md.contains("zero-shot beats fine-tuning on French below about 630 samples"), md);
        assertTrue(md.contains("about 750 samples"), md);
        assertTrue(md.contains("![French learning curve with the zero-shot line](plots/learning-curve.png)"), md);
        assertTrue(md.contains("| de | de | 240 | 2 | 20 | 1:02:05 |"), md);  // sub-runs with their wall time
        assertTrue(md.contains("| 2024-01-01T00:00:00Z | `abc1234` |"), md); // and the commit that finished them
        assertTrue(md.contains("* it test: taken from dev"), md);
        assertTrue(md.contains("learning rate 0.00005, weight decay 0.01"), md);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<img src=\"plots/confusion-de-validation.svg\""), html);
        assertTrue(html.contains("<td>de (chapter)</td><td>0.8677</td>"), html);
        assertFalse(html.contains("**"), "bold is rendered");
    }

    @Test
    void resultsJsonHoldsEveryNumber() throws IOException {
        ExperimentReport.write(dir, results(finished()));
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
        assertEquals(0.70, json.getAsJsonObject("final_table").getAsJsonObject("de").get("fr").getAsDouble());
        assertEquals(0.70, json.getAsJsonObject("runs").getAsJsonObject("de").getAsJsonObject("test")
                .getAsJsonObject("fr").get("f1").getAsDouble());
        assertEquals(3725, json.getAsJsonObject("runs").getAsJsonObject("de").get("wall_seconds").getAsDouble());
        assertEquals(0.5, json.getAsJsonObject("runs").getAsJsonObject("de").getAsJsonObject("analysis")
                .getAsJsonObject("confusion").getAsJsonArray("normalised").get(1).getAsJsonArray().get(3).getAsDouble());
        assertEquals(630, json.getAsJsonObject("learning_curve").getAsJsonObject("crossover").get("samples").getAsInt());
        assertEquals(1000, json.getAsJsonObject("corpus").getAsJsonObject("sizes").getAsJsonObject("de").get("train").getAsInt());
        assertEquals(0, json.getAsJsonObject("corpus").get("seed").getAsInt());
        assertTrue(json.getAsJsonObject("provenance").has("gitCommit"));
        JsonObject finishedBy = json.getAsJsonObject("runs").getAsJsonObject("curve-500").getAsJsonObject("finished_by");
        assertEquals("abc1234", finishedBy.get("git_commit").getAsString());
        assertEquals("experiment swiss-panx --only curve", finishedBy.get("command").getAsString());
        assertEquals(0.8677, json.getAsJsonObject("chapter").getAsJsonObject("test_f1").getAsJsonObject("de").get("de").getAsDouble());
        assertEquals(11, json.getAsJsonArray("plan").size()); // de, 5 curve, de-fr, 3 each, all
        assertTrue(json.getAsJsonArray("notes").get(0).getAsString().contains("taken from dev"));
    }

    @Test
    void unfinishedPartsShowAsNotFinishedAndDrawNoPlot() throws IOException {
        Map<String, SubRunResult> done = new LinkedHashMap<>();
        done.put("curve-250", result(planned("curve-250"), Map.of("fr", 0.60), null));
        ExperimentReport.write(dir, results(done));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| de | — | — | — | — |"), md);
        assertTrue(md.contains("Not finished yet."), md);
        assertTrue(md.contains("needs the German sub-run"), md);
        assertFalse(Files.exists(dir.resolve("plots/confusion-de-validation.png")));
        assertTrue(Files.exists(dir.resolve("plots/learning-curve.png")), "the curve alone is drawn");
    }

    @Test
    void aResultWrittenBeforeCommitsWereRecordedSaysSo() throws IOException {
        SubRunResult r = result(planned("each-fr"), Map.of("fr", 0.84), null);
        SubRunResult old = new SubRunResult(r.id(), r.group(), r.trainLangs(), r.trainSentences(), r.validationSentences(),
                r.steps(), r.epochs(), r.test(), r.wallSeconds(), r.trainingSeconds(), r.evaluationSeconds(), 0, r.finishedAt(),
                null, null, r.spec());
        ExperimentReport.write(dir, results(Map.of("each-fr", old)));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| 2024-01-01T00:00:00Z | not recorded |"), md);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
        assertFalse(json.getAsJsonObject("runs").getAsJsonObject("each-fr").has("finished_by"));
    }

    @Test
    void crossoverSaysWhenTheCurveNeverMeetsTheLine() {
        Map<String, SubRunResult> done = new LinkedHashMap<>(finished());
        done.put("de", result(planned("de"), Map.of("de", 0.85, "fr", 0.50), null));
        assertEquals(ExperimentResults.Crossover.Kind.ALWAYS_ABOVE, results(done).crossover().orElseThrow().kind());
        done.put("de", result(planned("de"), Map.of("de", 0.85, "fr", 0.90), null));
        ExperimentResults.Crossover c = results(done).crossover().orElseThrow();
        assertEquals(ExperimentResults.Crossover.Kind.ALWAYS_BELOW, c.kind());
        assertEquals(1000, c.samples());
        assertTrue(c.sentence().contains("at every size tried (up to 1000"), c.sentence());
    }
}
