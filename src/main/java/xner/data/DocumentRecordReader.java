package xner.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import xner.XnerInputException;

/**
 * Documents as records, for {@link RecordReader#documents}: one file, one record, its text extracted whole by a
 * {@link DocumentExtractor}. A document that cannot be read (empty, encrypted, corrupt, past a limit, without text)
 * comes back as a {@link InputRecord.Malformed} naming the file and what is wrong.
 */
final class DocumentRecordReader implements RecordReader {
    private final List<Path> files;
    private final DocumentExtractor extractor;
    private final DocumentExtractor.Limits limits;
    private int read;
    private long bytes;

    DocumentRecordReader(List<Path> files, DocumentExtractor extractor, DocumentExtractor.Limits limits) {
        this.files = List.copyOf(files);
        this.extractor = extractor;
        this.limits = limits;
    }

    @Override
    public InputRecord next() {
        if (read == files.size()) return null;
        Path file = files.get(read++);
        Source source = new Source(file, 0);
        try {
            long size = Files.size(file);
            bytes += size;
            if (size == 0) return new InputRecord.Malformed(source, "empty file (0 bytes)");
            DocumentExtractor.Extracted d;
            try (InputStream in = Files.newInputStream(file)) {
                d = extractor.extract(in, limits);
            }
            if (d.text().isBlank()) return new InputRecord.Malformed(source, noText(d));
            return new InputRecord.Document(source, d.text(), d.contentType(), d.pageStarts());
        } catch (XnerInputException e) {
            return new InputRecord.Malformed(source, e.getMessage());
        } catch (IOException e) {
            return new InputRecord.Malformed(source, "cannot be read: " + e);
        }
    }

    /** Why a document has no text: for a PDF with pages, no text layer (scanned images). */
    private static String noText(DocumentExtractor.Extracted d) {
        if (!d.pageStarts().isEmpty()) {
            int pages = d.pageStarts().size();
            return "no text in its " + pages + " page" + (pages == 1 ? "" : "s") + " (" + d.contentType()
                    + "): an image-only PDF, without a text layer? Run OCR on it first";
        }
        return "no text to tag (" + d.contentType() + ")";
    }

    /** Documents read so far. */
    @Override
    public int lineNumber() {
        return read;
    }

    @Override
    public long bytesRead() {
        return bytes;
    }

    @Override
    public String unit() {
        return "documents";
    }
}
