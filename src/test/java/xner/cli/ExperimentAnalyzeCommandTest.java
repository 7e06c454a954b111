package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.PanxReader;
import xner.experiment.ExperimentSettings;
import xner.experiment.SubRun;
import xner.testing.Cli;
import xner.testing.TestData;
import xner.testing.TinyModels;

/** experiment → analyze from the command line, on the real Swiss corpus with a tiny random body. */
class ExperimentAnalyzeCommandTest {
    @TempDir static Path dir;
    static Path body;
    static String data;

    /** The data and the body, made once for the tests that run on them (the option parsing needs neither). */
    static synchronized void tinyBody() throws IOException {
        if (body != null) return;
        Path panx = TestData.panx();
        data = panx.toString();
        PanxReader reader = new PanxReader(LabelSet.PANX);
        List<Dataset> sentences = List.of(Dataset.read(reader, panx.resolve("de/train")).take(300),
                Dataset.read(reader, panx.resolve("it/train")).take(300));
        body = TinyModels.bertBody(dir.resolve("body"), sentences.stream().flatMap(Dataset::stream).toList(), 7);
    }

    @Test
    void optionsParseIntoSettings() {
        ExperimentCommand c = new ExperimentCommand();
        new CommandLine(c).parseArgs("swiss-panx", "--output", "o", "--quick", "--only", "de,curve", "--epochs", "2",
                "--curve-sizes", "100,200", "--keep-models");
        ExperimentSettings s = c.settings();
        assertTrue(s.quick());
        assertEquals(2, s.epochs());
        assertEquals(2, s.curveEpochs(), "the curve follows --epochs unless told");
        assertEquals(List.of(100, 200), s.curveSizes());
        assertEquals(EnumSet.of(SubRun.Group.DE, SubRun.Group.CURVE), c.selected());
        assertTrue(c.keep().test("all"), "--keep-models alone keeps every model");

        ExperimentCommand d = new ExperimentCommand();
        new CommandLine(d).parseArgs("swiss-panx", "--output", "o", "--keep-models=de,all", "--curve-epochs", "1");
        assertEquals(ExperimentSettings.CHAPTER_CURVE, d.settings().curveSizes());
        assertEquals(3, d.settings().epochs());
        assertEquals(1, d.settings().curveEpochs());
        assertTrue(d.keep().test("all"));
        assertFalse(d.keep().test("each-fr"));
        assertEquals(EnumSet.allOf(SubRun.Group.class), d.selected());
        assertFalse(d.keep().test("de-fr"));
    }

    @Test
    void badNamesAndPartsAreOneLineAndExitTwo() throws IOException {
        tinyBody();
        Cli.Run name = Cli.run("experiment", "swiss", "--output", dir.resolve("x").toString(),
                "--data-dir", data, "--model", body.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, name.exit());
        assertEquals("xner: no experiment \"swiss\"; there are swiss-panx and active-learning", name.err().strip());
        Cli.Run part = Cli.run("experiment", "swiss-panx", "--only", "de,every",
                "--output", dir.resolve("x").toString(), "--data-dir", data, "--model", body.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, part.exit());
        assertTrue(part.err().startsWith("xner: --only: no part \"every\"; the parts are de, curve, de-fr, each, all"), part.err());
    }

    @Tag("slow")
    @Test
    void experimentThenAnalyzeTheKeptModel() throws IOException {
        tinyBody();
        Path out = dir.resolve("swiss-panx");
        Cli.Run experiment = Cli.run("experiment", "swiss-panx", "--data-dir", data,
                "--model", body.toString(), "--output", out.toString(), "--quick", "--only", "each",
                "--keep-models", "each-it");
        assertEquals(Xner.EXIT_OK, experiment.exit(), experiment.err());
        assertTrue(experiment.out().startsWith("test F1 (rows: trained on; — = not finished)"), experiment.out());
        assertTrue(experiment.out().contains("finished 3 of 8 sub-runs"), experiment.out());
        for (String f : List.of("results.json", "report.md", "report.html", "runs/each-it/model/model.safetensors")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("runs/each-fr/model")));
        JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertTrue(results.getAsJsonObject("settings").get("quick").getAsBoolean());
        assertEquals(500, results.getAsJsonObject("runs").getAsJsonObject("each-fr").get("train_sentences").getAsInt());
        assertTrue(results.getAsJsonObject("provenance").get("command").getAsString().contains("--quick"));

        Path model = out.resolve("runs/each-it/model");
        Path plots = dir.resolve("analysis-plots");
        Cli.Run json = Cli.run("analyze", "--model", model.toString(), "--data-dir", data,
                "--lang", "it", "--split", "validation", "--top", "5", "--sequences", "2", "--token", "(", "--json",
                "--plots", plots.toString());
        assertEquals(Xner.EXIT_OK, json.exit(), json.err());
        JsonObject a = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(840, a.get("sequences").getAsInt());
        assertEquals(5, a.getAsJsonArray("by_token").size());
        assertEquals(7, a.getAsJsonArray("by_label").size());
        assertEquals(7, a.getAsJsonObject("confusion").getAsJsonArray("normalised").size());
        JsonArray worst = a.getAsJsonArray("highest_loss");
        assertEquals(2, worst.size());
        for (JsonElement s : worst) {
            JsonObject row = s.getAsJsonObject();
            assertTrue(row.getAsJsonArray("tokens").contains(new com.google.gson.JsonPrimitive("(")));
            assertEquals("IGN", row.getAsJsonArray("labels").get(0).getAsString(), "[CLS] has no label");
        }
        assertTrue(Files.isRegularFile(plots.resolve("confusion-it-validation.png")));
        assertTrue(Files.isRegularFile(plots.resolve("confusion-it-validation.svg")));

        Cli.Run text = Cli.run("analyze", "--model", model.toString(), "--data-dir", data,
                "--lang", "it", "--split", "test", "--sequences", "1");
        assertEquals(Xner.EXIT_OK, text.exit(), text.err());
        assertTrue(text.out().startsWith("it test (* taken from dev"), text.out());
        assertTrue(text.out().contains("Losses by input token (top 10 by sum)"), text.out());
        assertTrue(text.out().contains("Confusion matrix (normalised over each gold label)"), text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("labels  IGN")), text.out());
    }
}
