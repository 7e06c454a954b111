package xner.data;

import java.io.IOException;

/** Text lines as records, for {@link RecordReader#text}: every line is one, a blank line an empty text. */
final class TextRecordReader extends LineRecordReader {

    TextRecordReader(LineStream lines) {
        super(lines);
    }

    @Override
    public InputRecord next() throws IOException {
        if (!lines.next()) return null;
        String line = lines.text();
        if (line == null) return new InputRecord.Malformed(lines.source(), lines.notText());
        return new InputRecord.Text(lines.source(), line, null);
    }
}
