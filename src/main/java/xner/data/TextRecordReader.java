package xner.data;

import java.io.IOException;

/** Text lines as records, for {@link RecordReader#text}: every line is one, a blank line an empty text. */
final class TextRecordReader implements RecordReader {
    private final LineStream lines;

    TextRecordReader(LineStream lines) {
        this.lines = lines;
    }

    @Override
    public InputRecord next() throws IOException {
        if (!lines.next()) return null;
        String line = lines.text();
        if (line == null) return new InputRecord.Malformed(lines.source(), LineStream.notUtf8());
        return new InputRecord.Text(lines.source(), line, null);
    }

    @Override
    public int lineNumber() {
        return lines.lineNumber();
    }

    @Override
    public long bytesRead() {
        return lines.bytes();
    }
}
