package xner.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The records of a file to tag, read one at a time as the file streams in: text lines, JSON Lines with a
 * {@code text} field, or CoNLL sentences; or the documents of a folder, one record each. A record that cannot be read comes back as an
 * {@link InputRecord.Malformed} naming its line, not as an exception, so that the tagger reports it, skips it
 * and goes on; only I/O errors are thrown.
 *
 * <pre>
 *   RecordReader records = RecordReader.jsonl(Files.newInputStream(file), file);
 *   for (InputRecord r; (r = records.next()) != null; ) ...
 * </pre>
 */
public interface RecordReader {
    /** The next record, or null at the end of the input. */
    InputRecord next() throws IOException;

    /** Lines read so far (documents, for a reader of documents). */
    int lineNumber();

    /** What {@link #lineNumber()} counts, in words: {@code lines}, or {@code documents}. */
    default String unit() {
        return "lines";
    }

    /** Bytes read so far. */
    long bytesRead();

    /** One UTF-8 text per line; a blank line is a record, an empty text. */
    static RecordReader text(InputStream in, Path file) {
        return text(in, file, StandardCharsets.UTF_8);
    }

    /** One text per line in {@code charset}; a blank line is a record, an empty text. */
    static RecordReader text(InputStream in, Path file, Charset charset) {
        return new TextRecordReader(new LineStream(in, file, charset));
    }

    /** One JSON object per line with a {@code text} string, UTF-8; blank lines hold no record. */
    static RecordReader jsonl(InputStream in, Path file) {
        return jsonl(in, file, StandardCharsets.UTF_8);
    }

    /** One JSON object per line with a {@code text} string, in {@code charset}; blank lines hold no record. */
    static RecordReader jsonl(InputStream in, Path file, Charset charset) {
        return new JsonlRecordReader(new LineStream(in, file, charset));
    }

    /** UTF-8 CoNLL: one word per line, the gold tag last when there are two columns or more; sentences between blank lines. */
    static RecordReader conll(InputStream in, Path file) {
        return conll(in, file, ColumnLayout.DEFAULT);
    }

    /**
     * CoNLL in {@code layout}'s charset and columns, cut into words and gold tags as training cuts them
     * ({@link ConllColumns}); sentences between blank lines.
     */
    static RecordReader conll(InputStream in, Path file, ColumnLayout layout) {
        return new ConllRecordReader(new LineStream(in, file, layout.encoding()), layout);
    }

    /**
     * One document per file, in the order given, each extracted whole by {@code extractor} under {@code limits}; a
     * file that cannot be read as a document is a {@link InputRecord.Malformed} naming it.
     */
    static RecordReader documents(List<Path> files, DocumentExtractor extractor, DocumentExtractor.Limits limits) {
        return new DocumentRecordReader(files, extractor, limits);
    }
}
