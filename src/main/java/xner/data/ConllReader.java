package xner.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A reader of CoNLL-2003-style column files: one word per line, columns separated by spaces or tabs, the
 * word in the first column and its tag in the last (columns between, such as part of speech, are ignored);
 * a blank line between sentences; {@code -DOCSTART-} lines mark documents and are skipped (they also end a
 * sentence).
 *
 * <p>Tags are converted from IOB1 to IOB2 as they are read: an {@code I-X} that does not continue an
 * {@code X} entity (it opens the sentence, or follows {@code O} or another type) becomes {@code B-X}. On
 * IOB2 input this changes nothing. The converted tag must be in the label set. Refused, with file and
 * line: a line with one column (no tag), a tag outside the label set, a file without sentences.
 */
public final class ConllReader implements CorpusReader {
    private static final Pattern COLUMNS = Pattern.compile("[ \\t]+");
    private static final String DOCSTART = "-DOCSTART-";

    private final LabelSet labels;

    public ConllReader(LabelSet labels) {
        this.labels = labels;
    }

    @Override
    public LabelSet labels() {
        return labels;
    }

    @Override
    public List<Sentence> read(Path file) {
        TextFile text = TextFile.read(file);
        List<Sentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int start = 0;
        for (String line; (line = text.nextLine()) != null; ) {
            String trimmed = line.strip();
            String[] columns = trimmed.isEmpty() ? new String[0] : COLUMNS.split(trimmed);
            if (columns.length == 0 || columns[0].equals(DOCSTART)) {
                if (!tokens.isEmpty()) {
                    sentences.add(new Sentence(tokens, tags, new Source(file, start)));
                    tokens.clear();
                    tags.clear();
                }
                continue;
            }
            if (columns.length < 2) {
                throw text.error("expected \"token ... tag\" columns, found " + TextFile.quote(line) + " (no tag)");
            }
            String raw = columns[columns.length - 1];
            String tag = toIob2(raw, tags.isEmpty() ? "O" : tags.get(tags.size() - 1));
            int id = labels.indexOf(tag);
            if (id < 0) {
                throw text.error(tag.equals(raw) ? PanxReader.unknownTag(tag, labels)
                        : "unknown tag \"" + tag + "\", the IOB2 form of \"" + raw + "\" (the label set is "
                                + String.join(", ", labels.names()) + ")");
            }
            if (tokens.isEmpty()) start = text.lineNumber();
            tokens.add(columns[0]);
            tags.add(labels.name(id));
        }
        if (!tokens.isEmpty()) sentences.add(new Sentence(tokens, tags, new Source(file, start)));
        if (sentences.isEmpty()) throw PanxReader.noSentences(text);
        return sentences;
    }

    /** The IOB2 form of {@code tag} after {@code previous} (already IOB2): I-X opens an entity unless X continues. */
    static String toIob2(String tag, String previous) {
        if (!tag.startsWith("I-")) return tag;
        String type = tag.substring(2);
        boolean continues = (previous.startsWith("B-") || previous.startsWith("I-")) && previous.substring(2).equals(type);
        return continues ? tag : "B-" + type;
    }
}
