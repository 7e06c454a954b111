package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.XnerInputException;
import xner.testing.Cli;
import xner.testing.TestData;

class CorpusCommandTest {
    @TempDir Path dir;

    @Test
    void optionsParseIntoTheCommand() {
        CorpusCommand c = new CorpusCommand();
        new CommandLine(c).parseArgs("--data-dir", "d", "--seed", "42", "--langs", "it,de", "--json");
        assertEquals(Path.of("d"), c.data.dataDir);
        assertEquals(42, c.seed);
        assertEquals(List.of("it", "de"), c.langs);
        assertTrue(c.json);
    }

    @Test
    void defaultsAreSeedZeroAndTheFourLanguages() {
        CorpusCommand c = new CorpusCommand();
        new CommandLine(c).parseArgs("--data-dir", "d");
        assertEquals(0, c.seed);
        assertEquals(List.of("de", "fr", "it", "en"), c.langs);
    }

    @Test
    void noDataFolderAtAllMeansTheHubAndSaysSo() {
        java.io.StringWriter err = new java.io.StringWriter();
        // only the choice is tested here: no download starts until a language is loaded
        DataDirOption option = new DataDirOption();
        assertTrue(option.source(new java.io.PrintWriter(err)) instanceof xner.data.HubPanx);
        assertTrue(err.toString().contains("Hugging Face hub"), err.toString());
        option.dataDir = dir;
        assertTrue(option.source(new java.io.PrintWriter(err)) instanceof xner.data.LocalPanx);
    }

    @Test
    void missingDataFolderExitsTwoWithOneLine() {
        Cli.Run r = Cli.run("corpus", "--data-dir", dir.resolve("nowhere").toString());
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("xner: " + dir.resolve("nowhere") + ": no such folder"), r.err());
    }

    @Test
    void unknownLanguageExitsTwo() {
        Cli.Run r = Cli.run("corpus", "--data-dir", dir.toString(), "--langs", "de,rm");
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit());
        assertEquals("xner: no Swiss fraction for \"rm\"; the Swiss corpus has de, fr, it, en", r.err().strip());
    }

    @Test
    void jsonOnTheRealDataHasTheChaptersFigures() {
        Path data = TestData.panx();
        Cli.Run r = Cli.run("corpus", "--data-dir", data.toString(), "--json");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertEquals(1, r.out().lines().count(), "one JSON object on one line");
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(0, json.get("seed").getAsLong());
        assertEquals(JsonParser.parseString("""
                {"de": {"train": 12580, "validation": 6290, "test": 6290},
                 "fr": {"train": 4580, "validation": 2290, "test": 2290},
                 "it": {"train": 1680, "validation": 840, "test": 840},
                 "en": {"train": 1180, "validation": 590, "test": 590}}"""), json.get("sizes"));
        JsonObject de = json.getAsJsonObject("first").getAsJsonObject("de");
        assertEquals(JsonParser.parseString("""
                ["2.000", "Einwohnern", "an", "der", "Danziger", "Bucht", "in", "der", "polnischen", "Woiwodschaft", "Pommern", "."]"""),
                de.get("tokens"));
        assertEquals(JsonParser.parseString("""
                ["O", "O", "O", "O", "B-LOC", "I-LOC", "O", "O", "B-LOC", "B-LOC", "I-LOC", "O"]"""), de.get("tags"));
        // de from the chapter; fr, it, en from an independent NumPy implementation over the same files
        assertEquals(JsonParser.parseString("""
                {"de": {"train": {"PER": 5810, "ORG": 5366, "LOC": 6186},
                        "validation": {"PER": 2893, "ORG": 2683, "LOC": 3172},
                        "test": {"PER": 3071, "ORG": 2573, "LOC": 3180}},
                 "fr": {"train": {"PER": 2059, "ORG": 1758, "LOC": 2301},
                        "validation": {"PER": 969, "ORG": 878, "LOC": 1085},
                        "test": {"PER": 1045, "ORG": 885, "LOC": 1130}},
                 "it": {"train": {"PER": 814, "ORG": 686, "LOC": 807},
                        "validation": {"PER": 429, "ORG": 361, "LOC": 402},
                        "test": {"PER": 393, "ORG": 335, "LOC": 396}},
                 "en": {"train": {"PER": 509, "ORG": 580, "LOC": 533},
                        "validation": {"PER": 311, "ORG": 291, "LOC": 259},
                        "test": {"PER": 264, "ORG": 276, "LOC": 283}}}"""), json.get("entities"));
        JsonObject notes = json.getAsJsonObject("notes");
        assertEquals(List.of("it"), List.copyOf(notes.keySet()));
        assertTrue(notes.getAsJsonObject("it").get("test").getAsString().startsWith("taken from dev: items 840..1679"));
    }

    @Test
    void tablesMarkItalianTestFiguresAndSayWhereTheyComeFrom() {
        Path data = TestData.panx();
        Cli.Run r = Cli.run("corpus", "--data-dir", data.toString(), "--seed", "42", "--langs", "de,it");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("test         6290   840*"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("de  Tokens  Olympique  Nîmes  ,")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("    Tags    B-ORG      I-ORG  O")), r.out());
        assertTrue(lines.contains("train       5881  5397  6169"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("test*  ")), r.out());
        long notes = lines.stream().filter(l -> l.startsWith("* it test: taken from dev: items 840..1679")).count();
        assertEquals(2, notes, "under the sizes and under the entity tables");
    }
}
