package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/** {@code xner tag} on the keyword model: the table, the entities, JSON, and files in three formats. */
class TagCommandTest {
    @TempDir static Path dir;
    static String model;
    static final String SENTENCE = "My name is Sylvain and I work at Hugging Face in Brooklyn";

    @BeforeAll
    static void model() {
        model = KeywordModel.standard(dir.resolve("model")).toString();
    }

    @Test
    void optionsParseIntoTheCommandWithFirstAsTheDefaultAggregation() {
        TagCommand c = new TagCommand();
        new CommandLine(c).parseArgs("--model", "m", "some text");
        assertEquals("first", c.aggregation);
        assertEquals("some text", c.text);
        assertEquals(Path.of("-"), c.output);
        new CommandLine(c).parseArgs("--model", "m", "--input", "in.jsonl", "--output", "out.conll", "--aggregation", "max",
                "--batch-size", "8", "--max-length", "128", "--stride", "32");
        assertEquals(Path.of("in.jsonl"), c.input);
        assertEquals(8, c.pipelineOptions.options().batchSize());
        assertEquals(128, c.pipelineOptions.options().maxLength());
        assertEquals(32, c.pipelineOptions.options().stride());
    }

    @Test
    void helpSaysWhyTheDefaultIsFirst() {
        Cli.Run r = Cli.run("tag", "--help");
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("(default: first, so that a word is never split between two entities; transformers' "
                + "pipeline defaults to none)"), r.out());
    }

    /** The CPU is the default and works; a GPU libtorch does not see stops in one line, before any model loads. */
    @Test
    void deviceCpuTagsAndAGpuThatIsNotThereIsAClearRefusal() {
        Cli.Run cpu = Cli.run("tag", "--model", model, "--device", "cpu", SENTENCE);
        assertEquals(Xner.EXIT_OK, cpu.exit(), cpu.err());
        int gpus = ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount();
        Cli.Run gpu = Cli.run("tag", "--model", model, "--device", "gpu:" + gpus, SENTENCE);
        assertEquals(Xner.EXIT_BAD_INPUT, gpu.exit(), gpu.err());
        assertTrue(gpu.err().contains("--device gpu") && gpu.err().contains("On a GPU"), gpu.err());
        assertEquals(1, gpu.err().strip().lines().count(), gpu.err());
        Cli.Run onnx = Cli.run("tag", "--model", model, "--device", "gpu", "--runtime", "onnx", SENTENCE);
        assertEquals(Xner.EXIT_BAD_INPUT, onnx.exit(), onnx.err());
        assertTrue(onnx.err().contains("--runtime libtorch"), onnx.err());
        Cli.Run bad = Cli.run("tag", "--model", model, "--device", "tpu", SENTENCE);
        assertTrue(bad.err().contains("\"tpu\" is not a device"), bad.err());
    }

    /** bf16 tags as fp32 does where the CPU has bf16 units and is one line, exit 2, where it has none. */
    @Test
    void precisionBf16TagsLikeFp32OrSaysWhyNot() {
        try {
            Cli.Run fp32 = Cli.run("tag", "--model", model, "--json", "--precision", "fp32", SENTENCE);
            assertEquals(Xner.EXIT_OK, fp32.exit(), fp32.err());
            Cli.Run bf16 = Cli.run("tag", "--model", model, "--json", "--precision", "bf16", SENTENCE);
            if (xner.model.Precision.cpuHasBf16Units()) {
                assertEquals(Xner.EXIT_OK, bf16.exit(), bf16.err());
                JsonArray a = JsonParser.parseString(fp32.out()).getAsJsonArray();
                JsonArray b = JsonParser.parseString(bf16.out()).getAsJsonArray();
                assertEquals(a.size(), b.size());
                for (int i = 0; i < a.size(); i++) {
                    for (String key : List.of("entity_group", "word", "start", "end")) {
                        assertEquals(a.get(i).getAsJsonObject().get(key), b.get(i).getAsJsonObject().get(key), key);
                    }
                }
                Cli.Run onnx = Cli.run("tag", "--model", model, "--precision", "bf16", "--runtime", "onnx", SENTENCE);
                assertEquals(Xner.EXIT_BAD_INPUT, onnx.exit(), onnx.err());
                assertTrue(onnx.err().contains("bf16 is for --runtime libtorch"), onnx.err());
            } else {
                assertEquals(Xner.EXIT_BAD_INPUT, bf16.exit(), bf16.err());
                assertTrue(bf16.err().contains("has no bf16 units"), bf16.err());
                assertEquals(1, bf16.err().strip().lines().count(), bf16.err());
            }
            Cli.Run bad = Cli.run("tag", "--model", model, "--precision", "fp16", SENTENCE);
            assertEquals(Xner.EXIT_BAD_INPUT, bad.exit(), bad.err());
            assertTrue(bad.err().contains("--precision: \"fp16\" is not a precision; use fp32, bf16 or auto"), bad.err());
        } finally {
            xner.model.Precision.use(xner.model.Precision.FP32); // the process's default: other tests load models after
        }
    }

    @Test
    void aTextPrintsTheTagTextTableThenTheEntities() {
        Cli.Run r = Cli.run("tag", "--model", model, SENTENCE);
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("Tokens  [CLS]  My  name  is  Sylvain  and"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Tags    O      O   O     O   B-PER    O"), lines.get(1));
        assertEquals(lines.get(0).indexOf("Brooklyn"), lines.get(1).indexOf("B-LOC"), "tags sit under their tokens");
        assertEquals("", lines.get(2));
        assertEquals("Entities (aggregation first):", lines.get(3));
        assertEquals(List.of("PER", "ORG", "LOC"), lines.subList(5, 8).stream().map(l -> l.strip().split(" +")[0]).toList());
        assertTrue(lines.get(6).matches("  ORG     0\\.99\\d\\d     33     45  Hugging Face"), lines.get(6));
    }

    @Test
    void jsonIsThePipelinesAnswer() {
        Cli.Run r = Cli.run("tag", "--model", model, "--json", SENTENCE);
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        JsonArray a = JsonParser.parseString(r.out()).getAsJsonArray();
        assertEquals(3, a.size());
        JsonObject loc = a.get(2).getAsJsonObject();
        assertEquals(List.of("entity_group", "score", "word", "start", "end"), List.copyOf(loc.keySet()));
        assertEquals("Brooklyn", loc.get("word").getAsString());
        assertEquals(49, loc.get("start").getAsInt());
        Cli.Run none = Cli.run("tag", "--model", model, "--json", "--aggregation", "none", "Microsoft");
        JsonArray tokens = JsonParser.parseString(none.out()).getAsJsonArray();
        assertEquals("B-ORG", tokens.get(0).getAsJsonObject().get("entity").getAsString());
        assertEquals(2, tokens.get(1).getAsJsonObject().get("index").getAsInt());
    }

    @Test
    void noEntitiesIsSaid() {
        Cli.Run r = Cli.run("tag", "--model", model, "and I work");
        assertTrue(r.out().endsWith("No entities found (aggregation first)." + System.lineSeparator()), r.out());
    }

    @Test
    void textLinesInJsonLinesOutAndABadLineIsReportedAndSkipped() throws IOException {
        Path in = dir.resolve("texts.txt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("Jeff Dean ist in Zürich\r\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'b', 'a', 'd', (byte) 0xC3, '\n'}); // a truncated UTF-8 sequence
        bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes((SENTENCE + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(in, bytes.toByteArray());
        Path out = dir.resolve("texts.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_SKIPPED, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":2: not UTF-8 text (if the file is latin-1, give --encoding latin-1); skipped"), r.err());
        assertTrue(r.err().contains("4 lines read, 3 records tagged, 1 skipped (malformed)"), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("Jeff Dean ist in Zürich", first.get("text").getAsString());
        assertEquals("[{\"entity_group\":\"PER\",\"word\":\"Jeff Dean\"},{\"entity_group\":\"LOC\",\"word\":\"Zürich\"}]",
                brief(first.getAsJsonArray("entities")));
        assertEquals("", JsonParser.parseString(lines.get(1)).getAsJsonObject().get("text").getAsString(), "a blank line is an empty text");
        assertEquals(3, JsonParser.parseString(lines.get(2)).getAsJsonObject().getAsJsonArray("entities").size());
    }

    /** A lone surrogate is legal JSON: its record is tagged and written with the escape, never the run lost (issue 26). */
    @Test
    void aLoneSurrogateInAJsonLineIsWrittenAsItsEscapeAndTheGoodRecordsStay() throws IOException {
        Path in = dir.resolve("surrogate.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 600; i++) lines.append("{\"text\": \"Jeff Dean ist in Zürich ").append(i).append("\"}\n");
        lines.append("{\"text\": \"bad \\ud800 Berlin\", \"id\": 7}\n");
        lines.append("{\"text\": \"Google \\ud83d\\ude00\"}\n"); // a pair: one character, written as it is
        Files.writeString(in, lines);
        Path out = dir.resolve("surrogate.out.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<String> written = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(602, written.size());
        assertTrue(written.get(600).startsWith("{\"text\":\"bad \\ud800 Berlin\",\"id\":7,\"entities\":"), written.get(600));
        JsonObject bad = JsonParser.parseString(written.get(600)).getAsJsonObject();
        assertEquals("bad \ud800 Berlin", bad.get("text").getAsString());
        assertEquals("Google \ud83d\ude00", JsonParser.parseString(written.get(601)).getAsJsonObject().get("text").getAsString());
        assertTrue(written.get(601).contains("\ud83d\ude00"), "a pair is a character, written in UTF-8");

        Path conll = dir.resolve("surrogate.out.conll");
        Cli.Run c = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", conll.toString());
        assertEquals(Xner.EXIT_SKIPPED, c.exit(), c.err());
        // the line is named with the character; which check meets it first depends on how the tokenizer cuts it
        assertTrue(c.err().lines().anyMatch(l -> l.startsWith(in + ":601: ") && l.contains("U+D800") && l.endsWith("; skipped")),
                c.err());
        assertTrue(c.err().contains("602 lines read, 601 records tagged, 1 skipped"), c.err());
    }

    /** A folder, a missing folder: refused before the model loads, naming the user's path, and nothing left behind. */
    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeTagging() throws IOException {
        Path in = dir.resolve("one.txt");
        Files.writeString(in, SENTENCE + "\n");
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", folder.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit(), r.err());
        assertEquals("xner: --output " + folder + ": is a folder; give the name of the file to write", r.err().strip());
        Path missing = dir.resolve("no/such/folder/out.jsonl");
        Cli.Run m = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", missing.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, m.exit(), m.err());
        assertEquals("xner: --output " + missing + ": the folder " + missing.getParent() + " does not exist", m.err().strip());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".partial")), "no temporary file");
        }
    }

    /** Without the module documents/ on the class path (as in these tests), a folder is refused saying how to get it. */
    @Test
    void aFolderOfDocumentsWithoutTheModuleSaysHowToGetIt() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pdfs"));
        Files.writeString(folder.resolve("a.pdf"), "%PDF-1.7\n");
        Path out = dir.resolve("pdfs.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", folder.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().strip().startsWith("xner: documents (PDF, DOCX/DOC, ODT, RTF, HTML, EML/MSG, plain text) need the "
                + "module documents/ on the class path: bin/xner builds it once"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
        Cli.Run conll = Cli.run("tag", "--model", model, "--input", folder.toString(), "--output", dir.resolve("x.conll").toString());
        assertEquals("xner: documents are written as JSON Lines: --format jsonl", conll.err().strip());
        Cli.Run help = Cli.run("tag", "--help");
        assertTrue(help.out().replaceAll("\\s+", " ").contains("PDF, DOCX/DOC, ODT, RTF, HTML, EML/MSG, plain text"), help.out());
    }

    @Test
    void aChunkOfRecordsSortedByLengthComesOutInInputOrderWithTheSameEntities() throws IOException {
        Path in = dir.resolve("chunked.txt");
        Files.writeString(in, String.join("\n", SENTENCE, "Google", "Jeff Dean ist in Zürich", "", "Microsoft in Brooklyn und Google") + "\n");
        Path byLine = dir.resolve("chunk-1.jsonl");
        Path chunked = dir.resolve("chunk-5.jsonl");
        Cli.Run one = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", byLine.toString(),
                "--chunk", "1", "--batch-size", "1");
        Cli.Run five = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", chunked.toString(),
                "--chunk", "5", "--batch-size", "2");
        assertEquals(Xner.EXIT_OK, one.exit(), one.err());
        assertEquals(Xner.EXIT_OK, five.exit(), five.err());
        List<String> expected = Files.readAllLines(byLine);
        assertEquals(5, expected.size());
        assertEquals("Google", JsonParser.parseString(expected.get(1)).getAsJsonObject().get("text").getAsString());
        List<String> actual = Files.readAllLines(chunked);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonObject a = JsonParser.parseString(expected.get(i)).getAsJsonObject();
            JsonObject b = JsonParser.parseString(actual.get(i)).getAsJsonObject();
            assertEquals(a.get("text"), b.get("text"), "line " + (i + 1));
            assertEquals(brief(a.getAsJsonArray("entities")), brief(b.getAsJsonArray("entities")), "line " + (i + 1));
        }
        Cli.Run zero = Cli.run("tag", "--model", model, "--input", in.toString(), "--chunk", "0");
        assertEquals(Xner.EXIT_BAD_INPUT, zero.exit());
        assertTrue(zero.err().contains("--chunk must be >= 1, was 0"), zero.err());
    }

    static String brief(JsonArray entities) {
        JsonArray out = new JsonArray();
        for (var e : entities) {
            JsonObject o = new JsonObject();
            o.add("entity_group", e.getAsJsonObject().get("entity_group"));
            o.add("word", e.getAsJsonObject().get("word"));
            out.add(o);
        }
        return out.toString();
    }

    @Test
    void jsonLinesKeepTheirFieldsAndMalformedOnesAreNamedByLine() throws IOException {
        Path in = dir.resolve("records.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"id\": 7, \"text\": \"Google in Kalifornien\"}",
                "{\"id\": 8, \"text\": ",
                "",
                "[1, 2]",
                "{\"id\": 9, \"text\": 42}",
                "{\"id\": 10, \"text\": \"Müller\"}") + "\n");
        Path out = dir.resolve("records.out.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString(),
                "--batch-size", "1");
        assertEquals(Xner.EXIT_SKIPPED, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":2: not JSON: "), r.err());
        assertTrue(r.err().contains(in + ":4: expected a JSON object with a \"text\" string, found an array; skipped"), r.err());
        assertTrue(r.err().contains(in + ":5: field \"text\": expected a string, found a number; skipped"), r.err());
        assertTrue(r.err().contains("6 lines read, 2 records tagged, 3 skipped (malformed)"), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(List.of("id", "text", "entities"), List.copyOf(first.keySet()));
        assertEquals(7, first.get("id").getAsInt());
        assertEquals("[{\"entity_group\":\"ORG\",\"word\":\"Google\"},{\"entity_group\":\"LOC\",\"word\":\"Kalifornien\"}]",
                brief(first.getAsJsonArray("entities")));
        assertEquals(10, JsonParser.parseString(lines.get(1)).getAsJsonObject().get("id").getAsInt());
    }

    @Test
    void jsonLinesAreReadStrictlyAsTheTrainingAndServiceReadersReadThem() throws IOException {
        Path in = dir.resolve("lenient.jsonl");
        Files.writeString(in, String.join("\n",
                "{text: 'Google'}",
                "{\"text\": \"Google\", \"text\": \"Müller\"}",
                "{\"text\": \"Google\", \"score\": NaN}",
                "{\"text\": \"Google\"} {}",
                "{\"text\": \"Müller\"}") + "\n");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--max-skipped", "4");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":1: not JSON: malformed at column 3 (path $): the unquoted word \"text\""), r.err());
        assertTrue(r.err().contains(in + ":2: not JSON: duplicate name at column 26 (path $.text): the name \"text\" twice in one object; skipped"),
                r.err());
        assertTrue(r.err().contains(in + ":3: not JSON: malformed at column 29 (path $.score): NaN: JSON has no NaN or Infinity"), r.err());
        assertTrue(r.err().contains(in + ":4: not JSON: malformed at column 21 (path $): more text after the JSON value"), r.err());
        assertFalse(r.err().contains("Strictness"), r.err());
        assertFalse(r.err().contains("gson"), r.err());
        assertTrue(r.err().contains("5 lines read, 1 records tagged, 4 skipped (malformed)"), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
    }

    @Test
    void conllInWithGoldTagsGivesTokenGoldPredictedAndAMixedSentenceIsSkipped() throws IOException {
        Path in = dir.resolve("gold.conll");
        Files.writeString(in, String.join("\n",
                "-DOCSTART- O", "",
                "Jeff B-PER", "Dean I-PER", "ist O", "in O", "Zürich B-LOC", "",
                "Microsoft B-ORG", "Genève", "", // the second line lacks its tag
                "Müller B-PER", "Microsoft B-ORG") + "\n");
        Path out = dir.resolve("gold.out.conll");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_SKIPPED, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":10: 1 column where the sentence's first line (" + in + ":9) has 2; the sentence is skipped"),
                r.err());
        assertTrue(r.err().contains("13 lines read, 2 records tagged, 1 skipped (malformed)"), r.err());
        assertEquals(List.of("Jeff B-PER B-PER", "Dean I-PER I-PER", "ist O O", "in O O", "Zürich B-LOC B-LOC", "",
                "Müller B-PER B-PER", "Microsoft B-ORG B-ORG", ""), Files.readAllLines(out));
    }

    @Test
    void conllOutOfTextsHasTheTokenizersWordsAndJsonLinesOutOfConllHasTheTokens() throws IOException {
        Path in = dir.resolve("plain.txt");
        Files.writeString(in, "Jeff Dean, Google!\n");
        Path out = dir.resolve("plain.iob");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString(),
                "--aggregation", "max");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertEquals(List.of("Jeff B-PER", "Dean I-PER", ", O", "Google B-ORG", "! O", ""), Files.readAllLines(out));

        Path conll = dir.resolve("words.txt");
        Files.writeString(conll, "Jeff\nDean\n\nZürich\n");
        Cli.Run j = Cli.run("tag", "--model", model, "--input", conll.toString(), "--input-format", "conll");
        assertEquals(Xner.EXIT_OK, j.exit(), j.err());
        List<String> lines = j.out().lines().toList();
        assertEquals(2, lines.size(), j.out());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("[\"Jeff\",\"Dean\"]", first.get("tokens").toString());
        assertEquals("Jeff Dean", first.get("text").getAsString());
        assertEquals("[{\"entity_group\":\"PER\",\"word\":\"Jeff Dean\"}]", brief(first.getAsJsonArray("entities")));
    }

    @Test
    void emptyAndBlankTextLinesHaveTheirRecordInBothOutputs() throws IOException {
        Path in = Files.writeString(dir.resolve("blanks.txt"), "Google\n\n \t \nMüller\n");
        Path conll = dir.resolve("blanks.conll");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", conll.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains("4 lines read, 4 records tagged, 0 skipped"), r.err());
        assertEquals(List.of("Google B-ORG", "", "# empty record (line 2)", "", "# empty record (line 3)", "", "Müller B-PER", ""),
                Files.readAllLines(conll));
        // readers of CoNLL see the empty records as comments: evaluate's reader and tag's own
        assertEquals(2, xner.data.ConllReader.readRaw(conll, xner.data.ColumnLayout.DEFAULT).size());
        Cli.Run again = Cli.run("tag", "--model", model, "--input", conll.toString());
        assertEquals(Xner.EXIT_OK, again.exit(), again.err());
        assertEquals(2, again.out().lines().count(), again.out());

        Cli.Run json = Cli.run("tag", "--model", model, "--input", in.toString());
        List<String> lines = json.out().lines().toList();
        assertEquals(4, lines.size(), json.out());
        assertEquals("{\"text\":\"\",\"entities\":[]}", lines.get(1));
        assertEquals("{\"text\":\" \\t \",\"entities\":[]}", lines.get(2));
    }

    @Test
    void wordsKeepTheirControlCharactersOrTheirRecordIsRefusedWithTheReason() throws IOException {
        Path in = Files.writeString(dir.resolve("controls.txt"), "Jeff\u0007Dean ist\nZürich\u001f ist\nGoogle \u200b\n");
        Path out = dir.resolve("controls.conll");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString(),
                "--max-skipped", "2");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":2: U+001F (information separator one) at column 7 is in no word of the tokenizer's, "
                + "so CoNLL output would drop it (JSON Lines output, --format jsonl, keeps the text whole); skipped"), r.err());
        assertTrue(r.err().contains(in + ":3: U+200B (zero width space) at column 8 is in no word"), r.err());
        assertEquals("Jeff\u0007Dean O\nist O\n\n", Files.readString(out), "the control character stays in its word");

        Path words = Files.writeString(dir.resolve("controls-in.conll"), "\u001fJeff B-PER\nDean\u000b I-PER\n\nJe\rff B-PER\n");
        Path wordsOut = dir.resolve("controls-out.conll");
        Cli.Run w = Cli.run("tag", "--model", model, "--input", words.toString(), "--output",
                wordsOut.toString(), "--max-skipped", "1");
        assertEquals(Xner.EXIT_OK, w.exit(), w.err());
        assertTrue(w.err().contains(words + ":4: the word \"Je\\rff\" holds U+000D (carriage return (cr)), which would split its "
                + "CoNLL line"), w.err());
        assertEquals("\u001fJeff B-PER B-PER\nDean\u000b I-PER I-PER\n\n", Files.readString(wordsOut));
    }

    @Test
    void aConllLineWithAnEmptyFirstColumnIsRefusedAtItsLine() throws IOException {
        Path in = Files.writeString(dir.resolve("no-word.conll"), "\tB-PER\nDean I-PER\n\nMüller B-PER\n");
        Path out = dir.resolve("no-word.out.conll");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_SKIPPED, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":1: no word in column 1 of \"<TAB>B-PER\" (the line starts with a tab); the sentence is "
                + "skipped; skipped"), r.err());
        assertEquals(List.of("Müller B-PER B-PER", ""), Files.readAllLines(out));
    }

    @Test
    void aSentenceWhereSomeLinesHaveATagAndOthersNoneNamesTheOddLine() throws IOException {
        // "A NN O" and "B O" both have a tag in the last column, as train reads them; "C" has none
        Path in = Files.writeString(dir.resolve("columns.conll"), "Jeff\nDean I-PER\nist O\n\nA NN O\nB O\nC\n\nMüller B-PER\n");
        Path out = dir.resolve("columns.out.conll");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output", out.toString(),
                "--max-skipped", "2");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains(in + ":1: 1 column where the sentence's other lines (" + in + ":2 and on) have 2; the sentence is "
                + "skipped"), r.err());
        assertTrue(r.err().contains(in + ":7: 1 column where the sentence's first line (" + in + ":5) has 3; the sentence is skipped"),
                r.err());
        assertEquals(List.of("Müller B-PER B-PER", ""), Files.readAllLines(out));
    }

    /** SIGTERM while tagging, on libtorch and on ONNX Runtime: the records so far kept, no crash report. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"libtorch", "onnx-int8"})
    void aRunStoppedBySigtermSaysHowFarItGotAndLeavesNoFinalOutput(String runtime) throws Exception {
        String tagged = model;
        if (runtime.equals("onnx-int8")) {
            tagged = dir.resolve("model-int8").toString();
            if (!Files.exists(Path.of(tagged, "model_quantized.onnx"))) {
                Cli.Run export = Cli.run("export", "--model", model, "--output", tagged, "--quantize", "int8");
                assertEquals(Xner.EXIT_OK, export.exit(), export.err());
            }
        }
        Path work = Files.createDirectories(dir.resolve("sigterm-" + runtime));
        Path out = work.resolve("stopped.jsonl");
        Path partial = work.resolve(".stopped.jsonl.partial");
        Path err = work.resolve("stopped.err");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "xner.cli.Xner", "tag", "--model", tagged,
                "--runtime", runtime, "--input", "-", "--output", out.toString(), "--chunk", "1")
                .directory(work.toFile()).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            p.getOutputStream().write("Google\nJeff Dean\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush(); // and left open: the run waits for more input
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!(Files.exists(partial) && Files.readAllLines(partial).size() == 2)) {
                assertTrue(p.isAlive(), () -> "the run ended: " + read(err));
                assertTrue(System.nanoTime() < deadline, () -> "two records not written in time: " + read(err));
                Thread.sleep(100);
            }
            p.toHandle().destroy(); // SIGTERM alone (Process.destroy also closes stdin), as Ctrl-C's SIGINT: shutdown hooks run
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        String said = read(err);
        assertTrue(said.contains("xner: stopped: 2 records of <stdin> written to " + partial + " (input read to line 2); the output is "
                + "not complete, and " + out + " was not written"), said);
        assertFalse(Files.exists(out), "the final name appears only when the output is complete");
        assertEquals(2, Files.readAllLines(partial).size());
        try (var files = Files.list(work)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("hs_err")).toList(), said);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void badCombinationsAreOneLineAndExitTwo() {
        Cli.Run none = Cli.run("tag", "--model", model);
        assertEquals(Xner.EXIT_BAD_INPUT, none.exit());
        assertEquals("xner: give either a TEXT or --input FILE", none.err().strip());
        Cli.Run conll = Cli.run("tag", "--model", model, "--input", "x.txt", "--format", "conll",
                "--aggregation", "simple");
        assertEquals(Xner.EXIT_BAD_INPUT, conll.exit());
        assertTrue(conll.err().startsWith("xner: --format conll writes one tag per word: it needs --aggregation first, average or max"),
                conll.err());
        Cli.Run missing = Cli.run("tag", "--model", model, "--input", dir.resolve("nope.txt").toString());
        assertEquals(Xner.EXIT_BAD_INPUT, missing.exit());
        assertEquals("xner: " + dir.resolve("nope.txt") + ": no such file", missing.err().strip());
        Cli.Run strategy = Cli.run("tag", "--model", model, "--aggregation", "mean", "x");
        assertEquals(Xner.EXIT_BAD_INPUT, strategy.exit());
    }

    @Test
    void anOutputThatIsTheInputIsRefusedAndTheInputKept() throws IOException {
        Path in = Files.writeString(dir.resolve("same.txt"), SENTENCE + "\n");
        Path link = dir.resolve("link.jsonl");
        Files.createSymbolicLink(link, in);
        for (Path out : List.of(in, link)) {
            Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output",
                    out.toString(), "--format", "jsonl");
            assertEquals(Xner.EXIT_BAD_INPUT, r.exit(), r.err());
            assertTrue(r.err().contains("is the input file " + in + ": tagging would overwrite it"), r.err());
            assertEquals(SENTENCE + "\n", Files.readString(in), "the input is untouched");
        }
    }

    @Test
    void skippedRecordsWithinMaxSkippedExitZeroAndTheOutputAppearsOnlyWhenComplete() throws IOException {
        Path in = dir.resolve("one-bad.jsonl");
        Files.writeString(in, "{\"text\": \"" + SENTENCE + "\"}\n[1]\n");
        Path out = dir.resolve("one-bad.out.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", in.toString(), "--output",
                out.toString(), "--max-skipped", "1");
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertEquals(1, Files.readAllLines(out).size());
        assertFalse(Files.exists(dir.resolve(".one-bad.out.jsonl.partial")), "the temporary file is renamed");
    }
}
