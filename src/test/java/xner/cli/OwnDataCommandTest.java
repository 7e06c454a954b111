package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.data.CorpusFileConfig;
import xner.data.CorpusFiles;
import xner.data.LabelMapping;
import xner.testing.Cli;
import xner.testing.TestData;
import xner.testing.TinyModels;

/**
 * The own-data workflow end to end on real Dutch newswire (CoNLL-2002, latin-1, nine labels with MISC) with a
 * tiny random body: train from files, evaluate the files again, adapt the model to another label set, and
 * the bad input a user meets.
 */
class OwnDataCommandTest {
    static final List<String> CONLL_LABELS = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC");

    @TempDir static Path dir;
    static Path body;
    static Path train;
    static Path validation;

    private static boolean made;

    /**
     * Made before the first test, not in {@code @BeforeAll}: without its input each test skips with the reason, and
     * surefire's report counts them (a skip in {@code @BeforeAll} leaves neither the tests nor the reason there).
     */
    @BeforeEach
    void madeOnce() throws IOException {
        if (!made) smallDutchFilesAndATinyBody();
        made = true;
    }

    static void smallDutchFilesAndATinyBody() throws IOException {
        Path nl = TestData.conll2002Dutch();
        // the first 300 sentences of ned.train and 120 of ned.testa, still latin-1 and with their odd two-column lines
        train = firstSentences(nl.resolve("ned.train"), 300, dir.resolve("train.conll"));
        validation = firstSentences(nl.resolve("ned.testa"), 120, dir.resolve("validation.conll"));
        CorpusFiles words = CorpusFiles.read(List.of(train, validation),
                CorpusFileConfig.defaults().withEncoding(StandardCharsets.ISO_8859_1), null, LabelMapping.NONE);
        body = TinyModels.bertBody(dir.resolve("body"), words.sentences(), 11);
    }

    @Tag("slow")
    @Test
    void trainOnFilesThenEvaluateReproducesTheValidationF1() throws IOException {
        Path out = dir.resolve("nl");
        Cli.Run run = Cli.run("train", "--train", train.toString(), "--validation",
                validation.toString(), "--test", validation.toString(), "--encoding", "latin-1", "--model", body.toString(),
                "--epochs", "2", "--batch-size", "8", "--lr", "1e-3", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, run.exit(), run.err());
        assertTrue(run.err().contains("tags in IOB2 (detected)"), run.err());
        JsonObject config = json(out.resolve("config.json"));
        List<String> id2label = new ArrayList<>();
        for (int i = 0; i < CONLL_LABELS.size(); i++) id2label.add(config.getAsJsonObject("id2label").get(String.valueOf(i)).getAsString());
        assertEquals(CONLL_LABELS, id2label);
        assertEquals("IOB2", config.get("xner_tag_scheme").getAsString());
        JsonObject record = json(out.resolve("xner-run.json"));
        assertTrue(record.getAsJsonObject("inputs").keySet().stream().anyMatch(f -> f.endsWith("train.conll")), record.toString());
        JsonObject results = json(out.resolve("test_results.json"));
        assertTrue(results.getAsJsonObject("test").getAsJsonObject("per_type").has("MISC"), results.toString());
        // a temperature fitted on validation after the last epoch, stored where tag and serve read it
        assertTrue(run.err().contains("xner: calibration: temperature "), run.err());
        JsonObject calibration = results.getAsJsonObject("calibration");
        assertEquals(config.get("xner_temperature").getAsDouble(), calibration.get("temperature").getAsDouble());
        assertTrue(calibration.get("validation_ece_after").getAsDouble() <= calibration.get("validation_ece_before").getAsDouble() + 0.02,
                calibration.toString());

        JsonArray epochs = json(out.resolve("train_log.json")).getAsJsonArray("epochs");
        double trainedF1 = epochs.get(epochs.size() - 1).getAsJsonObject().get("f1").getAsDouble();
        Cli.Run evaluate = Cli.run("evaluate", "--model", out.toString(), "--test",
                validation.toString(), "--encoding", "latin-1", "--json");
        assertEquals(Xner.EXIT_OK, evaluate.exit(), evaluate.err());
        JsonObject scored = JsonParser.parseString(evaluate.out()).getAsJsonObject().getAsJsonObject(validation.toString());
        assertEquals(trainedF1, scored.get("f1").getAsDouble(), 1e-9, "evaluate --test scores the validation file as training did");
        assertEquals(List.of("LOC", "MISC", "ORG", "PER"), List.copyOf(scored.getAsJsonObject("per_type").keySet()).stream().sorted().toList());
        assertEquals(120, scored.get("sentences").getAsInt());

        Cli.Run strict = Cli.run("evaluate", "--model", out.toString(), "--test",
                validation.toString(), "--encoding", "latin-1", "--mode", "strict");
        assertEquals(Xner.EXIT_OK, strict.exit(), strict.err());
        assertTrue(strict.out().contains("(seqeval strict, IOB2)"), strict.out());

        Cli.Run analyze = Cli.run("analyze", "--model", out.toString(), "--test",
                validation.toString(), "--encoding", "latin-1", "--json");
        assertEquals(Xner.EXIT_OK, analyze.exit(), analyze.err());
        assertTrue(analyze.out().contains("B-MISC"), "the confusion matrix is over the model's nine labels");

        // domain adaptation: the same labels keep the head; other labels resize it, keeping shared rows
        Cli.Run same = Cli.run("train", "--train", train.toString(), "--validation",
                validation.toString(), "--encoding", "latin-1", "--model", out.toString(), "--epochs", "1",
                "--batch-size", "8", "--max-train-samples", "16", "--output", dir.resolve("again").toString());
        assertEquals(Xner.EXIT_OK, same.exit(), same.err());
        assertTrue(same.err().contains("the classifier head of " + out + " is kept (same labels)"), same.err());
        Path adapted = dir.resolve("adapted");
        Cli.Run fewer = Cli.run("train", "--train", train.toString(), "--validation",
                validation.toString(), "--encoding", "latin-1", "--model", out.toString(), "--keep-types", "PER,LOC",
                "--epochs", "1", "--batch-size", "8", "--max-train-samples", "16", "--output", adapted.toString());
        assertEquals(Xner.EXIT_OK, fewer.exit(), fewer.err());
        assertTrue(fewer.err().contains("newly initialised because the shapes did not match"), fewer.err());
        assertTrue(fewer.err().contains("found shape [9, 16] in the checkpoint and [5, 16] in the model"), fewer.err());
        assertEquals(5, json(adapted.resolve("config.json")).getAsJsonObject("id2label").size());

        // a folder that holds a run is not trained over without a word
        String steps = Files.readString(out.resolve("train_steps.tsv"));
        Cli.Run over = Cli.run("train", "--train", train.toString(), "--validation",
                validation.toString(), "--encoding", "latin-1", "--model", body.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, over.exit(), over.err());
        assertTrue(over.err().contains("already holds a run (checkpoints): --resume continues it, --overwrite starts afresh"),
                over.err());
        assertEquals(steps, Files.readString(out.resolve("train_steps.tsv")), "the step log is untouched");
    }

    @Test
    void aValidationTypeAbsentFromTrainingIsOneLineNamingFileAndLine() throws IOException {
        Path noMisc = dir.resolve("nomisc.conll");
        Files.writeString(noMisc, "Jan B-PER\nwoont O\nin O\nGent B-LOC\n\n");
        Path out = dir.resolve("refused");
        Cli.Run run = Cli.run("train", "--train", noMisc.toString(), "--validation",
                validation.toString(), "--encoding", "latin-1", "--model", body.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, run.exit(), run.err());
        String line = run.err().lines().filter(l -> l.startsWith("xner: " + validation + ":") && l.contains("is not in")).findFirst().orElse(run.err());
        assertTrue(line.matches("xner: " + java.util.regex.Pattern.quote(validation.toString())
                + ":\\d+: tag \"B-(ORG|MISC)\" is not in the training data's label set .*"), line);
        assertFalse(Files.exists(out.resolve("config.json")), "nothing that poses as a model");
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        String[][] cases = {
                {"--labels", "O,B-PER,I-PER,B-PER", "xner: --labels: \"B-PER\" is given twice"},
                {"--labels", "O", "xner: --labels: no entity type among O"},
                {"--encoding", "klingon", "xner: --encoding: unknown charset \"klingon\""},
                {"--scheme", "IOX", "xner: --scheme: expected IOB1, IOB2, IOBES or BILOU"},
                {"--format", "xml", "xner: --format: expected conll, jsonl, spans or panx"},
                {"--epochs", "0", "xner: --epochs must be >= 1, was 0"},
                {"--batch-size", "-1", "xner: --batch-size must be >= 1, was -1"},
                {"--tag-column", "0", "xner: --tag-column: columns count from 1, got 0"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("train", "--train", train.toString(), "--validation",
                    validation.toString(), c[0], c[1], "--model", body.toString(), "--output", dir.resolve("bad").toString()));
            if (!c[0].equals("--encoding")) args.addAll(List.of("--encoding", "latin-1"));
            Cli.Run run = Cli.run(args.toArray(String[]::new));
            assertEquals(Xner.EXIT_BAD_INPUT, run.exit(), String.join(" ", c) + ": " + run.err());
            assertTrue(run.err().lines().anyMatch(l -> l.startsWith(c[2])), run.err());
        }
        Cli.Run utf8 = Cli.run("train", "--train", train.toString(), "--validation",
                validation.toString(), "--model", body.toString(), "--output", dir.resolve("bad").toString());
        assertEquals(Xner.EXIT_BAD_INPUT, utf8.exit());
        assertTrue(utf8.err().contains("not UTF-8 text") && utf8.err().contains("--encoding latin-1"), utf8.err());
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    /** The first {@code n} sentences of a latin-1 CoNLL file, bytes as they are. */
    static Path firstSentences(Path from, int n, Path to) throws IOException {
        List<String> lines = Files.readAllLines(from, StandardCharsets.ISO_8859_1);
        List<String> kept = new ArrayList<>();
        int sentences = 0;
        for (String line : lines) {
            kept.add(line);
            if (line.isBlank() && !kept.isEmpty() && ++sentences >= n) break;
        }
        Files.write(to, kept, StandardCharsets.ISO_8859_1);
        return to;
    }
}
