package xner.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CoNLL sentences as records, for {@link RecordReader#conll}: one word per line, the word in the first column
 * and the gold tag in the last when there are two or more; a blank line or a {@code -DOCSTART-} line ends a
 * sentence. Columns are cut at spaces and tabs only, so a word keeps every other character it holds (a control
 * character included). As {@link ConllReader}: a line starting with {@code #} before a sentence's first word,
 * with two columns or more and no tag in the last ({@code # text = ...}, or the {@code # empty record} lines
 * that CoNLL output writes), is a comment, not a record.
 *
 * <p>Malformed, reported at their line with the rest of their sentence skipped: bytes that are not UTF-8, a
 * line whose first column is empty ({@code <TAB>B-PER}), a line with another number of columns than the
 * rest of its sentence (the line named is the one that differs from most lines of the sentence; on a tie, the
 * one that differs from the sentence's first line).
 */
final class ConllRecordReader extends LineRecordReader {
    private static final Pattern COLUMNS = Pattern.compile("[ \\t]+");
    private static final Pattern EDGES = Pattern.compile("^[ \\t]+|[ \\t]+$");
    private static final Pattern TAG_LIKE = Pattern.compile("O|[A-Z]-\\S+");

    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> rowLines = new ArrayList<>();
    private boolean broken; // a malformed line: the rest of its sentence is skipped with it
    private boolean ended;

    ConllRecordReader(LineStream lines) {
        super(lines);
    }

    @Override
    public InputRecord next() throws IOException {
        while (!ended) {
            String line;
            if (!lines.next()) {
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
            if (line.isBlank() || line.strip().startsWith("-DOCSTART-")) {
                InputRecord sentence = broken || rows.isEmpty() ? null : sentence();
                rows.clear();
                rowLines.clear();
                broken = false;
                if (sentence != null) return sentence;
                continue;
            }
            if (broken) continue;
            if (line.charAt(0) == '\t') {
                broken = true;
                return new InputRecord.Malformed(lines.source(), "no word in column 1 of " + TextFile.quote(line)
                        + " (the line starts with a tab); the sentence is skipped");
            }
            String[] columns = COLUMNS.split(EDGES.matcher(line).replaceAll(""));
            if (rows.isEmpty() && columns[0].startsWith("#") && columns.length > 1
                    && !TAG_LIKE.matcher(columns[columns.length - 1]).matches()) {
                continue; // a comment line before a sentence
            }
            rows.add(columns);
            rowLines.add(lines.lineNumber());
        }
        return null;
    }

    /** The sentence read, or the line whose column count differs from the sentence's. */
    private InputRecord sentence() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (String[] row : rows) counts.merge(row.length, 1, Integer::sum);
        int firstCount = rows.get(0).length;
        if (counts.size() > 1) {
            int usual = firstCount;
            for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
                if (e.getValue() > counts.get(usual)) usual = e.getKey();
            }
            int odd = 0;
            while (rows.get(odd).length == usual) odd++;
            int n = rows.get(odd).length;
            String where = usual == firstCount
                    ? "where the sentence's first line (" + source(0) + ") has " + usual
                    : "where the sentence's other lines (" + source(odd == 0 ? 1 : 0) + " and on) have " + usual;
            return new InputRecord.Malformed(source(odd), n + " column" + (n == 1 ? "" : "s") + " " + where
                    + "; the sentence is skipped");
        }
        List<String> words = new ArrayList<>(rows.size());
        List<String> gold = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            words.add(row[0]);
            gold.add(row[row.length - 1]);
        }
        return new InputRecord.Words(source(0), words, firstCount > 1 ? gold : null);
    }

    private Source source(int row) {
        return new Source(lines.file(), rowLines.get(row));
    }
}
