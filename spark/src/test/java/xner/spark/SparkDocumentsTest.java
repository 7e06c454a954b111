package xner.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.documents.TestDocuments;
import xner.infer.KeywordModel;

/**
 * {@code spark-tag --input-format documents} on an embedded {@code local[2]} Spark: a folder of real documents (a
 * PDF of three pages by PDFBox, a DOCX by POI, HTML), their text extracted on the executors, tagged by the keyword
 * model; the columns of {@code tag}'s JSON Lines; bad documents skipped and counted, not the job.
 */
class SparkDocumentsTest {
    @TempDir static Path dir;
    static Path model;
    static Path folder;

    static final List<List<String>> PAGES = List.of(
            List.of("Jeff Dean ist ein Informatiker bei Google."),
            List.of("Müller ist in Zürich."),
            List.of("Sylvain work at Hugging Face in Brooklyn."));

    @BeforeAll
    static void documents() throws IOException {
        model = KeywordModel.standard(dir.resolve("model"));
        folder = Files.createDirectories(dir.resolve("docs/sub"));
        folder = folder.getParent();
        TestDocuments.pdf(folder.resolve("a-report.pdf"), PAGES);
        TestDocuments.docx(folder.resolve("sub/b-letter.docx"), List.of("Jeff Dean ist in Genève."));
        TestDocuments.html(folder.resolve("c-page.html"), "Titel", "Sylvain work at Hugging Face in Brooklyn");
        Files.write(folder.resolve("d-empty.pdf"), new byte[0]);
        TestDocuments.encryptedPdf(folder.resolve("e-secret.pdf"), PAGES);
        TestDocuments.corruptPdf(folder.resolve("f-corrupt.pdf"));
    }

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
    void aFolderOfDocumentsGivesTagsColumnsWithPagesAndSkipsTheBadOnes() throws IOException {
        Path out = dir.resolve("tagged.jsonl");
        SparkTagCommandTest.Run r = SparkTagCommandTest.run("--model", model.toString(), "--input", folder.toString(),
                "--input-format", "documents", "--output", out.toString(), "--master", "local[2]");
        assertEquals(SparkTagCommand.EXIT_SKIPPED, r.exit(), r.err());
        assertTrue(r.err().contains("xner: 3 documents skipped (could not be read)"), r.err());
        List<JsonObject> records = new ArrayList<>(SparkTagCommandTest.readJsonl(out));
        records.sort(Comparator.comparing(o -> o.get("source").getAsString()));
        assertEquals(3, records.size(), records.toString());
        for (JsonObject o : records) {
            assertEquals(List.of("source", "content_type", "text", "entities"), new ArrayList<>(o.keySet()), o.toString());
        }
        assertTrue(records.get(0).get("source").getAsString().endsWith("/a-report.pdf"), records.get(0).toString());
        assertEquals("application/pdf", records.get(0).get("content_type").getAsString());
        assertEquals(List.of("Jeff Dean", "Google", "Müller", "Zürich", "Sylvain", "Hugging Face", "Brooklyn"), words(records.get(0)));
        List<Integer> pages = new ArrayList<>();
        for (JsonElement e : records.get(0).getAsJsonArray("entities")) pages.add(e.getAsJsonObject().get("page").getAsInt());
        assertEquals(List.of(1, 1, 2, 2, 3, 3, 3), pages);
        assertEquals("text/html", records.get(1).get("content_type").getAsString());
        assertEquals(List.of("Sylvain", "Hugging Face", "Brooklyn"), words(records.get(1)));
        assertEquals(List.of("Jeff Dean", "Genève"), words(records.get(2)), "recursively: sub/b-letter.docx");
        for (JsonElement e : records.get(2).getAsJsonArray("entities")) assertTrue(e.getAsJsonObject().get("page").isJsonNull());

        Path pdfs = dir.resolve("pdfs.jsonl");
        SparkTagCommandTest.Run only = SparkTagCommandTest.run("--model", model.toString(), "--input", folder.toString(),
                "--input-format", "documents", "--include", "a-*.pdf", "--no-text", "--output", pdfs.toString(), "--master", "local[1]");
        assertEquals(SparkTagCommand.EXIT_OK, only.exit(), only.err());
        List<JsonObject> one = SparkTagCommandTest.readJsonl(pdfs);
        assertEquals(1, one.size());
        assertNull(one.get(0).get("text"));
        assertEquals(7, one.get(0).getAsJsonArray("entities").size());
    }

    @Test
    void helpListsTheDocumentFormats() {
        String help = SparkTagCommand.commandLine().getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("--input-format documents (PDF, DOCX/DOC, ODT, RTF, HTML, EML/MSG, plain text"), help);
    }
}
