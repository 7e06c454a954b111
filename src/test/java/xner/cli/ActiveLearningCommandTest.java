package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.PanxReader;
import xner.data.Sentence;
import xner.experiment.ActiveLearningSettings;
import xner.model.TokenClassifier;
import xner.select.Strategy;
import xner.testing.Cli;
import xner.testing.TestData;
import xner.testing.TinyModels;

/**
 * {@code xner experiment active-learning}: options into settings, bad input in one line, and the command end to end on
 * real PAN-X sentences with a tiny model and rounds of 8 and 16: the French setting from the Swiss corpus, and your
 * own CoNLL files from a body without a head.
 */
class ActiveLearningCommandTest {
    @TempDir static Path dir;

    @Test
    void optionsOverrideTheSetting() {
        ActiveLearningCommand c = new ActiveLearningCommand();
        new CommandLine(c).parseArgs("--setting", "dutch", "--output", "o", "--rounds", "8,16", "--strategies", "mnlp,random",
                "--seed", "7", "--epochs", "1", "--max-pool", "100", "--first-round", "random");
        ActiveLearningSettings s = c.settings(ActiveLearningCommand.Setting.parse(c.setting));
        assertEquals("dutch", s.setting());
        assertEquals(List.of(8, 16), s.rounds());
        assertEquals(List.of(Strategy.MNLP, Strategy.RANDOM), s.strategies());
        assertEquals(7, s.seed());
        assertEquals(1, s.training().epochs());
        assertEquals(24, s.training().batchSize(), "the chapter's batch unless told");
        assertEquals(256, s.maxLength(), "the Dutch setting's length");
        assertEquals(100, s.maxPool());
        assertEquals(ActiveLearningSettings.FirstRound.RANDOM, s.firstRound());

        ActiveLearningCommand d = new ActiveLearningCommand();
        new CommandLine(d).parseArgs("--setting", "french-from-german", "--output", "o", "--model", "runs/de");
        ActiveLearningSettings f = d.settings(ActiveLearningCommand.Setting.parse(d.setting));
        assertEquals(List.of(100, 250, 500, 1000), f.rounds());
        assertEquals(ActiveLearningSettings.ALL_STRATEGIES, f.strategies());
        assertEquals(42, f.seed());
        assertEquals(3, f.training().epochs());
        assertEquals(5e-5, f.training().learningRate());
        assertEquals(0, f.maxLength());
        assertEquals(ActiveLearningSettings.FirstRound.AUTO, f.firstRound());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String out = dir.resolve("bad").toString();
        Cli.Run setting = Cli.run("experiment", "active-learning", "--setting", "spanish", "--output", out);
        assertEquals(Xner.EXIT_BAD_INPUT, setting.exit());
        assertEquals("xner: --setting: expected french-from-german or dutch, got \"spanish\"", setting.err().strip());
        Cli.Run model = Cli.run("experiment", "active-learning", "--setting", "french-from-german", "--output", out);
        assertEquals(Xner.EXIT_BAD_INPUT, model.exit());
        assertTrue(model.err().startsWith("xner: --setting french-from-german needs --model: the German model"), model.err());
        Cli.Run rounds = Cli.run("experiment", "active-learning", "--setting", "dutch", "--rounds", "500,250", "--output", out);
        assertEquals(Xner.EXIT_BAD_INPUT, rounds.exit());
        assertEquals("xner: --rounds: rounds must be positive and ascending: [500, 250]", rounds.err().strip());
        Cli.Run strategy = Cli.run("experiment", "active-learning", "--strategies", "mnlp,margin", "--output", out);
        assertEquals(Xner.EXIT_BAD_INPUT, strategy.exit());
        assertEquals("xner: --strategies: expected mnlp, entropy or random, got \"margin\"", strategy.err().strip());
        Cli.Run files = Cli.run("experiment", "active-learning", "--pool", "p.conll", "--output", out);
        assertEquals(Xner.EXIT_BAD_INPUT, files.exit());
        assertEquals("xner: give --pool, --validation and --test together (or --setting french-from-german|dutch)",
                files.err().strip());
        assertTrue(Cli.run("experiment", "--help").out().contains("active-learning"), "listed under experiment");
    }

    @Test
    void frenchFromATinyGermanModelEndToEndThenResumed() throws IOException {
        Path panx = TestData.panx();
        PanxReader reader = new PanxReader(LabelSet.PANX);
        List<Sentence> words = new ArrayList<>();
        for (String split : List.of("train", "dev", "test")) Dataset.read(reader, panx.resolve("fr/" + split)).forEach(words::add);
        Path body = TinyModels.bertBody(dir.resolve("body"), words, 7);
        Path german = dir.resolve("german");
        try (TokenClassifier model = TokenClassifier.fromPretrained(body, LabelSet.PANX, 3)) {
            model.save(german, body);
        }
        Path out = dir.resolve("al-fr");
        String[] args = {"experiment", "active-learning", "--setting", "french-from-german", "--model", german.toString(),
            "--data-dir", panx.toString(), "--output", out.toString(), "--rounds", "8,16", "--epochs", "1", "--batch-size", "8",
            "--max-pool", "100", "--max-validation", "16", "--max-test", "24"};
        Cli.Run run = Cli.run(args);
        assertEquals(Xner.EXIT_OK, run.exit(), run.err());
        assertTrue(run.out().startsWith("test F1 by annotated sentences (— = not finished); random's seed 42"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("16\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}")), run.out());
        assertTrue(run.out().contains("finished 6 of 6 rounds"), run.out());
        for (String f : List.of("results.json", "report.md", "report.html", "plots/active-learning.png",
                "runs/mnlp-16/selection.json", "runs/entropy-8/result.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals("Swiss PAN-X fr train (corpus seed 0)", json.getAsJsonObject("data").getAsJsonObject("sources").get("pool").getAsString());
        assertEquals(100, json.getAsJsonObject("data").getAsJsonObject("sizes").get("pool").getAsInt());
        assertTrue(json.getAsJsonObject("provenance").get("command").getAsString().startsWith("experiment active-learning --setting french-from-german"),
                json.getAsJsonObject("provenance").get("command").getAsString());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("Capped data (not the issue's experiment): at most 100 pool, 16 validation and 24 test sentences."), report);
        String finishedAt = JsonParser.parseString(Files.readString(out.resolve("runs/mnlp-16/result.json"))).getAsJsonObject()
                .get("finishedAt").getAsString();

        Cli.Run refused = Cli.run(args);
        assertEquals(Xner.EXIT_BAD_INPUT, refused.exit());
        assertTrue(refused.err().contains("already holds sub-runs"), refused.err());
        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        Cli.Run resumed = Cli.run(resume);
        assertEquals(Xner.EXIT_OK, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("finished 6 of 6 rounds"), resumed.out());
        assertEquals(finishedAt, JsonParser.parseString(Files.readString(out.resolve("runs/mnlp-16/result.json")))
                .getAsJsonObject().get("finishedAt").getAsString(), "a finished round is not run again");
    }

    @Test
    void ownConllFilesFromABodyWithoutAHead() throws IOException {
        Path panx = TestData.panx();
        PanxReader reader = new PanxReader(LabelSet.PANX);
        Dataset de = Dataset.read(reader, panx.resolve("de/train")).take(200);
        Path body = TinyModels.bertBody(dir.resolve("de-body"), de, 7);
        // CoNLL files of real German sentences: "word tag" lines, a blank line between sentences
        Path pool = conll(dir.resolve("pool.conll"), de.slice(0, 120));
        Path validation = conll(dir.resolve("validation.conll"), de.slice(120, 150));
        Path test = conll(dir.resolve("test.conll"), de.slice(150, 200));
        Path out = dir.resolve("al-own");
        Cli.Run run = Cli.run("experiment", "active-learning", "--model", body.toString(), "--pool", pool.toString(),
                "--validation", validation.toString(), "--test", test.toString(), "--output", out.toString(),
                "--rounds", "8", "--strategies", "random,entropy", "--epochs", "1", "--batch-size", "8");
        assertEquals(Xner.EXIT_OK, run.exit(), run.err());
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        assertEquals("custom", json.get("setting").getAsString());
        assertTrue(json.get("first_round").getAsString().startsWith("a random draw (seed 42)"), json.get("first_round").toString());
        assertEquals(json.getAsJsonObject("runs").getAsJsonObject("random-8").get("selectionSha256"),
                json.getAsJsonObject("runs").getAsJsonObject("entropy-8").get("selectionSha256"), "one cold start for both");
        assertEquals("pool.conll", json.getAsJsonObject("data").getAsJsonObject("sources").get("pool").getAsString());
        assertEquals(50, json.getAsJsonObject("data").getAsJsonObject("sizes").get("test").getAsInt());
    }

    private static Path conll(Path file, Dataset sentences) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Sentence s : sentences) {
            for (int i = 0; i < s.size(); i++) text.append(s.words().get(i)).append(' ').append(s.tags().get(i)).append('\n');
            text.append('\n');
        }
        return Files.writeString(file, text);
    }
}
