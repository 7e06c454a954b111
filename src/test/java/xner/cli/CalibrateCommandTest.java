package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.KeywordModel;
import xner.model.ModelDirectory;
import xner.testing.Cli;

/** calibrate writes a temperature into config.json; evaluate reports the calibration error; tag's --min-score filters. */
class CalibrateCommandTest {
    @TempDir Path dir;

    @Test
    void aFittedTemperatureIsStoredChangesScoresButNotTagsAndMinScoreFilters() throws Exception {
        Path model = KeywordModel.standard(dir.resolve("model"));
        Path validation = Files.writeString(dir.resolve("validation.conll"),
                "Jeff B-PER\nDean I-PER\nist O\nin O\nZürich B-LOC\n\nGoogle B-ORG\nin O\nBerlin O\n\nMüller B-PER\nkommt O\n\n");
        Cli.Run before = Cli.run("tag", "--model", model.toString(), "--json", "Jeff Dean ist in Zürich");
        assertEquals(Xner.EXIT_OK, before.exit(), before.err());

        double best = 0;
        for (var e : JsonParser.parseString(before.out()).getAsJsonArray()) best = Math.max(best, e.getAsJsonObject().get("score").getAsDouble());
        assertTrue(best < 1, before.out());
        Cli.Run none = Cli.run("tag", "--model", model.toString(), "--json", "--min-score", String.valueOf(Math.nextUp(best)),
                "Jeff Dean ist in Zürich");
        assertEquals("[]", none.out().strip(), "every entity scored below the threshold is left out");
        Cli.Run c = Cli.run("calibrate", "--model", model.toString(), "--validation", validation.toString());
        assertEquals(Xner.EXIT_OK, c.exit(), c.err());
        assertTrue(c.out().startsWith("xner: calibration: temperature "), c.out());
        double t = ModelDirectory.readConfig(model).temperature();
        assertNotEquals(1.0, t, "a temperature was fitted and stored");
        assertTrue(Files.readString(model.resolve("config.json")).contains("\"xner_temperature\""));

        Cli.Run after = Cli.run("tag", "--model", model.toString(), "--json", "Jeff Dean ist in Zürich");
        var b = JsonParser.parseString(before.out()).getAsJsonArray();
        var a = JsonParser.parseString(after.out()).getAsJsonArray();
        assertEquals(b.size(), a.size(), "the same entities");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).getAsJsonObject().get("entity_group"), a.get(i).getAsJsonObject().get("entity_group"));
            assertNotEquals(b.get(i).getAsJsonObject().get("score"), a.get(i).getAsJsonObject().get("score"), "other scores");
        }
        Cli.Run bad = Cli.run("tag", "--model", model.toString(), "--min-score", "1.5", "Jeff");
        assertEquals(Xner.EXIT_BAD_INPUT, bad.exit());
        assertEquals("xner: --min-score must be between 0 and 1, was 1.5", bad.err().strip());

        Cli.Run ev = Cli.run("evaluate", "--model", model.toString(), "--test", validation.toString());
        assertEquals(Xner.EXIT_OK, ev.exit(), ev.err());
        assertTrue(ev.out().contains("calibration: expected calibration error of the entity scores "), ev.out());
        assertTrue(ev.out().contains(String.format(java.util.Locale.ROOT, "temperature %.3f)", t)), ev.out());
    }

    @Test
    void withoutDataItSaysWhatToGive() {
        Path model = KeywordModel.standard(dir.resolve("m2"));
        Cli.Run r = Cli.run("calibrate", "--model", model.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit());
        assertEquals("xner: give either --validation FILE (labelled data of the model's kind) or --langs", r.err().strip());
    }
}
