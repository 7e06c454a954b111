package xner.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CoNLL sentences as records, for {@link RecordReader#conll}: one word per line, cut into columns by
 * {@link ConllColumns} as training cuts them (the same separators, word and tag columns and comments), the gold
 * tag in the tag column when the line has one; a blank line or a {@code -DOCSTART-} line ends a sentence.
 *
 * <p>Malformed, reported at their line with the rest of their sentence skipped: text that is not in the file's
 * charset, a line {@link ConllColumns} cannot read (no word in its column, mixed separators, a word holding a
 * space in a tab-separated file), a sentence where some lines have a tag and others not (the line named is one of
 * the fewer kind; on a tie, one that differs from the sentence's first line).
 */
final class ConllRecordReader extends LineRecordReader {
    private final ConllColumns columns;
    private final List<ConllColumns.Word> words = new ArrayList<>();
    private final List<Integer> wordLines = new ArrayList<>();
    private boolean broken; // a malformed line: the rest of its sentence is skipped with it
    private boolean ended;

    ConllRecordReader(LineStream lines, ColumnLayout layout) {
        super(lines);
        this.columns = new ConllColumns(layout, false);
    }

    @Override
    public InputRecord next() throws IOException {
        while (!ended) {
            String line;
            if (!lines.next()) {
                ended = true;
                line = "";
            } else if (broken) {
                line = lines.lenientText(); // only looking for the end of the skipped sentence
            } else {
                line = lines.text();
                if (line == null) return skipSentence(lines.notText());
            }
            if (ConllColumns.endsSentence(line)) {
                InputRecord sentence = broken || words.isEmpty() ? null : sentence();
                words.clear();
                wordLines.clear();
                broken = false;
                if (sentence != null) return sentence;
                continue;
            }
            if (broken) continue;
            ConllColumns.Word word;
            try {
                word = columns.word(line, lines.lineNumber(), words.isEmpty());
            } catch (ConllColumns.BadLine e) {
                return skipSentence(e.getMessage() + "; the sentence is skipped");
            }
            if (word == null) continue; // a comment line before a sentence
            words.add(word);
            wordLines.add(lines.lineNumber());
        }
        return null;
    }

    private InputRecord skipSentence(String why) {
        broken = true;
        return new InputRecord.Malformed(lines.source(), why);
    }

    /** The sentence read, or the line that has a tag where the sentence's others have none, or the other way round. */
    private InputRecord sentence() {
        int tagged = 0;
        for (ConllColumns.Word w : words) if (w.tag() != null) tagged++;
        if (tagged != 0 && tagged != words.size()) {
            boolean firstTagged = words.get(0).tag() != null;
            int firstKind = firstTagged ? tagged : words.size() - tagged;
            boolean usualTagged = firstKind * 2 >= words.size() ? firstTagged : !firstTagged; // a tie keeps the first line's
            int odd = 0;
            while ((words.get(odd).tag() != null) == usualTagged) odd++;
            int n = words.get(odd).columns();
            int reference = 0; // the first line of the usual kind
            while ((words.get(reference).tag() != null) != usualTagged) reference++;
            int usual = words.get(reference).columns();
            String where = usualTagged == firstTagged
                    ? "where the sentence's first line (" + source(0) + ") has " + usual
                    : "where the sentence's other lines (" + source(reference) + " and on) have " + usual;
            return new InputRecord.Malformed(source(odd), n + " column" + (n == 1 ? "" : "s") + " " + where
                    + "; the sentence is skipped");
        }
        List<String> tokens = new ArrayList<>(words.size());
        List<String> gold = new ArrayList<>(words.size());
        for (ConllColumns.Word w : words) {
            tokens.add(w.token());
            gold.add(w.tag());
        }
        return new InputRecord.Words(source(0), tokens, tagged > 0 ? gold : null);
    }

    private Source source(int word) {
        return new Source(lines.file(), wordLines.get(word));
    }
}
