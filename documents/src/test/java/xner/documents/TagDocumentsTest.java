package xner.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
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
import xner.cli.Xner;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/**
 * {@code xner tag --input FOLDER} end to end, with this module on the class path: real documents (PDFBox's PDF,
 * POI's DOCX, HTML, an e-mail, text) tagged by the keyword model, whose entities the test knows; offsets checked
 * against the text extracted, pages against the page each word was written on; every bad document named and skipped.
 */
class TagDocumentsTest {
    @TempDir static Path dir;
    static String model;
    static Path good;
    static Path mixed;

    @BeforeAll
    static void documents() throws IOException {
        model = KeywordModel.standard(dir.resolve("model")).toString();
        good = Files.createDirectories(dir.resolve("good"));
        TestDocuments.pdf(good.resolve("a-report.pdf"), TikaExtractorTest.PAGES);
        TestDocuments.docx(good.resolve("b-letter.docx"), List.of("Jeff Dean ist in Genève.", "Google"));
        TestDocuments.html(good.resolve("c-page.html"), "Titel", "Sylvain work at Hugging Face in Brooklyn");
        TestDocuments.eml(good.resolve("d-mail.eml"), "Treffen", "Müller ist in Zürich.");
        Files.createDirectories(good.resolve("sub"));
        Files.writeString(good.resolve("sub/e-notes.txt"), "Jeff Dean ist bei Google.\n");
        Files.writeString(good.resolve(".hidden.txt"), "Jeff Dean\n"); // hidden: not a document to tag

        mixed = Files.createDirectories(dir.resolve("mixed"));
        TestDocuments.pdf(mixed.resolve("a-good.pdf"), TikaExtractorTest.PAGES);
        Files.write(mixed.resolve("b-empty.pdf"), new byte[0]);
        TestDocuments.encryptedPdf(mixed.resolve("c-encrypted.pdf"), TikaExtractorTest.PAGES);
        TestDocuments.corruptPdf(mixed.resolve("d-corrupt.pdf"));
        Path docx = TestDocuments.docx(dir.resolve("whole.docx"), List.of("Jeff Dean ist in Zürich.".repeat(100)));
        TestDocuments.truncated(docx, mixed.resolve("e-truncated.docx"));
        TestDocuments.zipBomb(mixed.resolve("f-bomb.zip"), 20);
        TestDocuments.imageOnlyPdf(mixed.resolve("g-scan.pdf"));
        Files.writeString(mixed.resolve("h-good.html"), "<html><body><p>Müller ist in Zürich.</p></body></html>");
    }

    static List<JsonObject> records(Path out) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        for (String line : Files.readAllLines(out)) records.add(JsonParser.parseString(line).getAsJsonObject());
        return records;
    }

    /** The words of the entities, each checked to be the text at its offsets. */
    static List<String> words(JsonObject record) {
        String text = record.get("text").getAsString();
        List<String> words = new ArrayList<>();
        for (JsonElement e : record.getAsJsonArray("entities")) {
            JsonObject entity = e.getAsJsonObject();
            String word = entity.get("word").getAsString();
            assertEquals(word, text.substring(entity.get("start").getAsInt(), entity.get("end").getAsInt()), entity.toString());
            words.add(word);
        }
        return words;
    }

    @Test
    void aFolderOfDocumentsIsOneRecordPerDocumentInNameOrderWithOffsetsIntoTheExtractedText() throws IOException {
        Path out = dir.resolve("good.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", good.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertTrue(r.err().contains("5 documents read, 5 tagged, 0 skipped"), r.err());
        List<JsonObject> records = records(out);
        assertEquals(List.of("a-report.pdf", "b-letter.docx", "c-page.html", "d-mail.eml", "sub/e-notes.txt"),
                records.stream().map(o -> good.relativize(Path.of(o.get("source").getAsString())).toString()).toList());
        assertEquals(List.of("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "text/html", "message/rfc822", "text/plain"), records.stream().map(o -> o.get("content_type").getAsString()).toList());
        assertEquals(List.of("Jeff Dean", "Google", "Müller", "Zürich", "Sylvain", "Hugging Face", "Brooklyn"), words(records.get(0)));
        assertEquals(List.of("Jeff Dean", "Genève", "Google"), words(records.get(1)));
        assertEquals(List.of("Sylvain", "Hugging Face", "Brooklyn"), words(records.get(2)));
        assertTrue(words(records.get(3)).containsAll(List.of("Müller", "Zürich")), records.get(3).toString());
        assertEquals(List.of("Jeff Dean", "Google"), words(records.get(4)));
        // the page each entity starts on is the page its word was written on
        List<Integer> pages = new ArrayList<>();
        for (JsonElement e : records.get(0).getAsJsonArray("entities")) pages.add(e.getAsJsonObject().get("page").getAsInt());
        assertEquals(List.of(1, 1, 2, 2, 3, 3, 3), pages);
        for (JsonObject o : records.subList(1, 5)) {
            for (JsonElement e : o.getAsJsonArray("entities")) assertNull(e.getAsJsonObject().get("page"), "no pages: " + o);
        }
    }

    @Test
    void everyBadDocumentIsOneLineNamingItAndTheRunGoesOn() throws IOException {
        Path out = dir.resolve("mixed.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", mixed.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_SKIPPED, r.exit(), r.err());
        String err = r.err();
        assertTrue(err.contains(mixed.resolve("b-empty.pdf") + ": empty file (0 bytes); skipped"), err);
        assertTrue(err.contains(mixed.resolve("c-encrypted.pdf") + ": encrypted (application/pdf): it needs a password; skipped"), err);
        assertTrue(err.contains(mixed.resolve("d-corrupt.pdf") + ": corrupt or truncated (application/pdf): "), err);
        assertTrue(err.contains(mixed.resolve("e-truncated.docx") + ": corrupt or truncated (application/vnd.openxmlformats"), err);
        assertTrue(err.contains(mixed.resolve("f-bomb.zip") + ": a zip bomb (application/zip): Suspected zip bomb"), err);
        assertTrue(err.contains(mixed.resolve("g-scan.pdf") + ": no text in its 1 page (application/pdf): an image-only PDF"), err);
        assertTrue(err.contains("8 documents read, 2 tagged, 6 skipped (could not be read)"), err);
        assertTrue(err.contains("6 documents skipped (more than --max-skipped 0): exit status 3"), err);
        // one line for each: no parser's warnings or stack traces between them
        assertEquals(6, err.lines().filter(l -> l.endsWith("; skipped")).count(), err);
        assertFalse(err.contains("\tat "), err);
        List<JsonObject> records = records(out);
        assertEquals(2, records.size());
        assertEquals(mixed.resolve("a-good.pdf").toString(), records.get(0).get("source").getAsString());
        assertEquals(List.of("Müller", "Zürich"), words(records.get(1)));

        Cli.Run allowed = Cli.run("tag", "--model", model, "--input", mixed.toString(), "--output", out.toString(),
                "--max-skipped", "6");
        assertEquals(Xner.EXIT_OK, allowed.exit(), allowed.err());
    }

    @Test
    void includeChoosesFilesByNameAndNoTextLeavesTheTextOut() throws IOException {
        Path out = dir.resolve("pdfs.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", good.toString(), "--include", "*.pdf", "--include", "*.txt",
                "--no-text", "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<JsonObject> records = records(out);
        assertEquals(List.of("a-report.pdf", "e-notes.txt"),
                records.stream().map(o -> Path.of(o.get("source").getAsString()).getFileName().toString()).toList());
        assertNull(records.get(0).get("text"));
        assertEquals(7, records.get(0).getAsJsonArray("entities").size());
    }

    @Test
    void oneDocumentIsReadAsADocumentWhateverItsName() throws IOException {
        Path pdf = TestDocuments.pdf(dir.resolve("scan-2026.dat"), TikaExtractorTest.PAGES);
        Path out = dir.resolve("one.jsonl");
        Cli.Run r = Cli.run("tag", "--model", model, "--input", pdf.toString(), "--output", out.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        List<JsonObject> records = records(out);
        assertEquals(1, records.size());
        assertEquals("application/pdf", records.get(0).get("content_type").getAsString());
        assertEquals(7, words(records.get(0)).size());
    }
}
