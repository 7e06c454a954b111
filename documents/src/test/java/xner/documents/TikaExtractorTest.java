package xner.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.data.DocumentExtractor;
import xner.data.DocumentExtractor.Extracted;
import xner.data.DocumentExtractor.Limits;

/** Each format's text, by content; PDF pages as offsets; each way a document can be bad, named. */
class TikaExtractorTest {
    @TempDir Path dir;
    final TikaExtractor tika = new TikaExtractor();

    static final List<List<String>> PAGES = List.of(
            List.of("Jeff Dean ist ein Informatiker bei Google.", "Zweite Zeile."),
            List.of("Müller ist in Zürich."),
            List.of("Sylvain work at Hugging Face in Brooklyn."));

    Extracted extract(Path file, Limits limits) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return tika.extract(in, limits);
        }
    }

    Extracted extract(Path file) throws IOException {
        return extract(file, Limits.DEFAULT);
    }

    String refusal(Path file, Limits limits) {
        return assertThrows(XnerInputException.class, () -> extract(file, limits)).getMessage();
    }

    @Test
    void theCoreFindsTikaThroughTheServiceLoader() {
        assertTrue(DocumentExtractor.find().orElseThrow() instanceof TikaExtractor);
    }

    @Test
    void aPdfsPagesStartWhereTheirTextStarts() throws IOException {
        Extracted d = extract(TestDocuments.pdf(dir.resolve("three.pdf"), PAGES));
        assertEquals("application/pdf", d.contentType());
        assertEquals(3, d.pageStarts().size(), d.pageStarts().toString());
        for (int p = 0; p < 3; p++) {
            int end = p + 1 < 3 ? d.pageStarts().get(p + 1) : d.text().length();
            String page = d.text().substring(d.pageStarts().get(p), end);
            for (List<String> other : PAGES) {
                // each page's lines are in its own slice of the text, and no other page's are
                assertEquals(other == PAGES.get(p), page.contains(other.get(0)), "page " + (p + 1) + ": " + page);
            }
        }
    }

    @Test
    void aDocxHtmlAndEmailGiveTheirBodyText() throws IOException {
        Extracted docx = extract(TestDocuments.docx(dir.resolve("a.docx"), List.of("Jeff Dean ist in Zürich.", "Google.")));
        assertEquals("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.contentType());
        assertTrue(docx.text().contains("Jeff Dean ist in Zürich.\n"), docx.text());
        assertTrue(docx.text().contains("Google."), docx.text());
        assertEquals(List.of(), docx.pageStarts());

        Extracted html = extract(TestDocuments.html(dir.resolve("a.html"), "Titel", "Müller &amp; Genève"));
        assertEquals("text/html", html.contentType());
        assertTrue(html.text().contains("Müller & Genève"), html.text());
        assertFalse(html.text().contains("Titel"), "the <head>'s title is not body text: " + html.text());

        Extracted eml = extract(TestDocuments.eml(dir.resolve("a.eml"), "Treffen", "Jeff Dean kommt nach Zürich."));
        assertEquals("message/rfc822", eml.contentType());
        assertTrue(eml.text().contains("Jeff Dean kommt nach Zürich."), eml.text());
    }

    @Test
    void theTypeComesFromTheContentNotTheName() throws IOException {
        Path pdf = TestDocuments.pdf(dir.resolve("really-a-pdf.txt"), PAGES);
        assertEquals("application/pdf", extract(pdf).contentType());
        Path docx = TestDocuments.docx(dir.resolve("report.pdf"), List.of("Google"));
        assertEquals("application/vnd.openxmlformats-officedocument.wordprocessingml.document", extract(docx).contentType());
    }

    @Test
    void anEncryptedPdfNeedsAPassword() throws IOException {
        Path file = TestDocuments.encryptedPdf(dir.resolve("secret.pdf"), PAGES);
        assertEquals("encrypted (application/pdf): it needs a password", refusal(file, Limits.DEFAULT));
    }

    @Test
    void corruptAndTruncatedDocumentsAreNamedSo() throws IOException {
        String corrupt = refusal(TestDocuments.corruptPdf(dir.resolve("corrupt.pdf")), Limits.DEFAULT);
        assertTrue(corrupt.startsWith("corrupt or truncated (application/pdf): "), corrupt);
        Path docx = TestDocuments.docx(dir.resolve("whole.docx"), List.of("Jeff Dean ist in Zürich.".repeat(200)));
        String cut = refusal(TestDocuments.truncated(docx, dir.resolve("cut.docx")), Limits.DEFAULT);
        assertTrue(cut.startsWith("corrupt or truncated ("), cut);
        Path pdf = TestDocuments.pdf(dir.resolve("whole.pdf"), PAGES);
        String cutPdf = refusal(TestDocuments.truncated(pdf, dir.resolve("cut.pdf")), Limits.DEFAULT);
        assertTrue(cutPdf.startsWith("corrupt or truncated (application/pdf): "), cutPdf);
    }

    @Test
    void aZipBombIsStopped() throws IOException {
        Path bomb = TestDocuments.zipBomb(dir.resolve("bomb.zip"), 40);
        assertTrue(Files.size(bomb) < 200_000, "the bomb is small: " + Files.size(bomb));
        String reason = refusal(bomb, Limits.DEFAULT);
        assertTrue(reason.startsWith("a zip bomb (application/zip): "), reason);
    }

    @Test
    void anImageOnlyPdfHasPagesButNoText() throws IOException {
        Extracted d = extract(TestDocuments.imageOnlyPdf(dir.resolve("scan.pdf")));
        assertEquals("application/pdf", d.contentType());
        assertEquals(1, d.pageStarts().size());
        assertTrue(d.text().isBlank(), d.text());
    }

    @Test
    void theCharacterAndTimeLimitsAreNamed() throws IOException {
        Path pdf = TestDocuments.pdf(dir.resolve("long.pdf"), PAGES);
        assertEquals("more than 20 characters of text (application/pdf): the limit, --max-document-chars",
                refusal(pdf, new Limits(20, Duration.ofMinutes(1))));
        String slow = refusal(pdf, new Limits(1_000_000, Duration.ofMillis(1)));
        assertTrue(slow.startsWith("took more than 1 ms to extract ("), slow);
        assertTrue(slow.endsWith("): the limit, --document-timeout"), slow);
    }

    /** A parser that waits without writing (here: on a stream that never answers) is given up when its time is up. */
    @Test
    void aDocumentThatHangsIsGivenUpAfterItsTime() {
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("given up");
                }
                return -1;
            }
        };
        long start = System.nanoTime();
        String reason = assertThrows(XnerInputException.class, () -> tika.extract(silent, new Limits(1000, Duration.ofSeconds(1))))
                .getMessage();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("took more than 1 s to extract (type not detected): the limit, --document-timeout", reason);
        assertTrue(seconds >= 1 && seconds < 10, "given up after " + seconds + " s");
    }
}
