package xner.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CoNLL sentences as records, for {@link RecordReader#conll}: one word per line, the word in the first column
 * and the gold tag in the last when there are two or more; a blank line or a {@code -DOCSTART-} line ends a
 * sentence. A malformed line is reported once and the rest of its sentence skipped with it.
 */
final class ConllRecordReader implements RecordReader {
    private static final Pattern COLUMNS = Pattern.compile("[ \\t]+");

    private final LineStream lines;
    private final List<String> words = new ArrayList<>();
    private final List<String> gold = new ArrayList<>();
    private int first;
    private int columns;
    private boolean broken; // a malformed line: the rest of its sentence is skipped with it
    private boolean ended;

    ConllRecordReader(LineStream lines) {
        this.lines = lines;
    }

    @Override
    public InputRecord next() throws IOException {
        while (!ended) {
            String line;
            boolean more = lines.next();
            if (!more) {
                ended = true;
                line = "";
            } else if (broken) {
                line = new String(lines.raw(), StandardCharsets.UTF_8); // only looking for the end of the skipped sentence
            } else {
                line = lines.text();
                if (line == null) {
                    broken = true;
                    return new InputRecord.Malformed(lines.source(), LineStream.notUtf8());
                }
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("-DOCSTART-")) {
                InputRecord sentence = !broken && !words.isEmpty()
                        ? new InputRecord.Words(new Source(lines.file(), first), words, columns > 1 ? gold : null) : null;
                words.clear();
                gold.clear();
                broken = false;
                if (sentence != null) return sentence;
                continue;
            }
            if (broken) continue;
            String[] cols = COLUMNS.split(trimmed);
            if (words.isEmpty()) {
                first = lines.lineNumber();
                columns = cols.length;
            } else if ((cols.length > 1) != (columns > 1)) {
                broken = true;
                return new InputRecord.Malformed(lines.source(), cols.length + " column" + (cols.length == 1 ? "" : "s")
                        + " where the sentence's first line (" + new Source(lines.file(), first) + ") has " + columns
                        + "; the sentence is skipped");
            }
            words.add(cols[0]);
            gold.add(cols[cols.length - 1]);
        }
        return null;
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
