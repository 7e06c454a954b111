package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/**
 * Documents as records, with a stand-in extractor (the real one, on Tika, is tested in the module documents/): which
 * files a folder gives, in which order; an empty, unreadable or textless document as a record that names it; pages.
 */
class DocumentRecordReaderTest {
    @TempDir Path dir;

    /** Reads a file's bytes as its text; "bad" files are refused, "pdf" ones have two pages. */
    static final DocumentExtractor STAND_IN = (in, limits) -> {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (text.startsWith("bad")) throw new XnerInputException("encrypted (application/pdf): it needs a password");
        if (text.startsWith("pdf")) return new DocumentExtractor.Extracted("application/pdf", text, List.of(0, text.length() / 2));
        if (text.startsWith("scan")) return new DocumentExtractor.Extracted("application/pdf", " \n", List.of(0, 1));
        return new DocumentExtractor.Extracted("text/plain", text, List.of());
    };

    @Test
    void aFoldersFilesRecursivelyInNameOrderWithoutHiddenOnesAndWithIncludeGlobs() throws IOException {
        Files.createDirectories(dir.resolve("b/c"));
        for (String f : List.of("b/c/z.pdf", "a.txt", "b/a.docx", ".partial.jsonl", "b/.git-like/x.txt", "c.PDF")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "x");
        }
        assertEquals(List.of("a.txt", "b/a.docx", "b/c/z.pdf", "c.PDF"),
                DocumentFiles.list(dir, List.of()).stream().map(f -> dir.relativize(f).toString()).toList());
        assertEquals(List.of("b/c/z.pdf"),
                DocumentFiles.list(dir, List.of("*.pdf")).stream().map(f -> dir.relativize(f).toString()).toList());
        assertEquals(List.of("b/a.docx", "b/c/z.pdf", "c.PDF"),
                DocumentFiles.list(dir, List.of("*.{pdf,PDF}", "*.docx")).stream().map(f -> dir.relativize(f).toString()).toList());
    }

    @Test
    void aDocumentIsKnownByItsFirstBytesOrItsName() throws IOException {
        assertTrue(DocumentFiles.isDocument(Files.write(dir.resolve("scan.dat"), "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(DocumentFiles.isDocument(Files.write(dir.resolve("x.bin"), new byte[] {'P', 'K', 3, 4, 20, 0})));
        assertTrue(DocumentFiles.isDocument(Files.writeString(dir.resolve("page.html"), "<p>Hallo</p>")));
        assertFalse(DocumentFiles.isDocument(Files.writeString(dir.resolve("texts.txt"), "Jeff Dean\nGoogle\n")));
        assertFalse(DocumentFiles.isDocument(Files.write(dir.resolve("tiny.txt"), new byte[] {'%'})));
    }

    @Test
    void eachFileIsOneRecordAndABadOneNamesWhatIsWrong() throws IOException {
        Path text = Files.writeString(dir.resolve("1.txt"), "Jeff Dean");
        Path empty = Files.write(dir.resolve("2.pdf"), new byte[0]);
        Path bad = Files.writeString(dir.resolve("3.pdf"), "bad");
        Path pdf = Files.writeString(dir.resolve("4.pdf"), "pdf page one, page two");
        Path scan = Files.writeString(dir.resolve("5.pdf"), "scan");
        Path gone = dir.resolve("6.pdf");
        RecordReader reader = RecordReader.documents(List.of(text, empty, bad, pdf, scan, gone), STAND_IN,
                DocumentExtractor.Limits.DEFAULT);
        assertEquals(new InputRecord.Document(new Source(text, 0), "Jeff Dean", "text/plain", List.of()), reader.next());
        assertEquals(new InputRecord.Malformed(new Source(empty, 0), "empty file (0 bytes)"), reader.next());
        assertEquals(new InputRecord.Malformed(new Source(bad, 0), "encrypted (application/pdf): it needs a password"), reader.next());
        InputRecord.Document d = (InputRecord.Document) reader.next();
        assertEquals(List.of(0, 11), d.pageStarts());
        assertEquals(List.of(1, 1, 2, 2), List.of(d.page(0), d.page(10), d.page(11), d.page(21)));
        assertEquals(new InputRecord.Malformed(new Source(scan, 0),
                "no text in its 2 pages (application/pdf): an image-only PDF, without a text layer? Run OCR on it first"), reader.next());
        InputRecord missing = reader.next();
        assertTrue(((InputRecord.Malformed) missing).reason().startsWith("cannot be read: java.nio.file.NoSuchFileException"), missing.toString());
        assertNull(reader.next());
        assertEquals(6, reader.lineNumber());
        assertEquals("documents", reader.unit());
        assertEquals(9 + 3 + 22 + 4, reader.bytesRead());
    }

    @Test
    void pagesMustStartInOrderInsideTheText() {
        Source s = new Source(Path.of("x.pdf"), 0);
        assertEquals(0, new InputRecord.Document(s, "abc", "text/plain", List.of()).page(1), "no pages: page 0");
        try {
            new InputRecord.Document(s, "abc", "application/pdf", List.of(2, 1));
            throw new AssertionError("pages out of order were accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("page 2 starts at 1"), expected.getMessage());
        }
    }

}
