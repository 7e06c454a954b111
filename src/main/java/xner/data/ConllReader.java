package xner.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A reader of CoNLL-style column files: one word per line, columns separated by spaces or tabs, the word in
 * the first column (or {@code tokenColumn}) and its tag in the last (or {@code tagColumn}); other columns,
 * such as part of speech or GermEval's nested tag, are ignored; a blank line between sentences;
 * {@code -DOCSTART-} lines mark documents and are skipped (they also end a sentence).
 *
 * <p>Separators: when the file's first word line holds a tab, columns are tab-separated (a column may then
 * hold spaces, trimmed at its ends, and a later line with spaces but no tab is refused as mixed separators);
 * otherwise any run of spaces and tabs separates columns (a line that starts with a tab has an empty first
 * column either way). Comments: a line that starts with {@code #} before
 * a sentence's first word is a comment (GermEval's {@code # source} lines, CoNLL-U's {@code # text = ...})
 * unless its tag column holds a tag ({@code O} or {@code P-TYPE}): then it is the word {@code #}.
 *
 * <p>{@link #read(Path)} reads UTF-8 with the tag in the last column, converts IOB1 to IOB2 (an {@code I-X}
 * that does not continue an {@code X} entity becomes {@code B-X}; IOB2 is left as it is) and checks each tag
 * against the label set. {@link #readRaw} reads tags as written, for {@link CorpusFiles} to convert and map.
 * Refused, with file and line: a line without a tag column, an empty word, mixed separators, a file without
 * sentences.
 */
public final class ConllReader implements CorpusReader {
    private static final Pattern SPACES = Pattern.compile("[ \\t]+");
    private static final Pattern TAB = Pattern.compile("\\t");
    private static final Pattern TAG_LIKE = Pattern.compile("O|[A-Z]-\\S+");
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
        List<Sentence> sentences = new ArrayList<>();
        for (RawSentence raw : readRaw(file, StandardCharsets.UTF_8, 1, 0)) {
            List<String> tags = TagScheme.IOB1.toIob2(raw);
            List<String> checked = new ArrayList<>(tags.size());
            for (int i = 0; i < tags.size(); i++) {
                String tag = tags.get(i);
                String written = raw.tags().get(i);
                int id = labels.indexOf(tag);
                if (id < 0) {
                    throw new xner.XnerInputException(raw.sources().get(i).at(tag.equals(written)
                            ? CorpusReader.unknownTag(tag, labels)
                            : "unknown tag \"" + tag + "\", the IOB2 form of \"" + written + "\" (the label set is "
                                    + String.join(", ", labels.names()) + ")"));
                }
                checked.add(labels.name(id));
            }
            sentences.add(new Sentence(raw.tokens(), checked, raw.source()));
        }
        return sentences;
    }

    /**
     * The sentences of {@code file} with tags as written (not converted, not checked against a label set).
     *
     * @param tokenColumn the word's column, 1-based
     * @param tagColumn   the tag's column, 1-based, or 0 for the last column of each line
     */
    public static List<RawSentence> readRaw(Path file, Charset charset, int tokenColumn, int tagColumn) {
        TextFile text = TextFile.read(file, charset);
        List<RawSentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        Boolean tabs = null; // decided by the first word line
        int tabLine = 0;
        for (String line; (line = text.nextLine()) != null; ) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith(DOCSTART)) {
                if (!tokens.isEmpty()) {
                    sentences.add(new RawSentence(tokens, tags, sources));
                    tokens.clear();
                    tags.clear();
                    sources.clear();
                }
                continue;
            }
            if (tabs == null) {
                tabs = line.indexOf('\t') >= 0;
                tabLine = text.lineNumber();
            } else if (tabs && line.indexOf('\t') < 0 && trimmed.indexOf(' ') >= 0 && !(tokens.isEmpty() && trimmed.startsWith("#"))) {
                throw text.error("mixed separators: " + TextFile.quote(line) + " separates its columns with spaces, "
                        + "line " + tabLine + " with tabs");
            }
            // a leading empty column stays (a line "<TAB>B-PER" has no word, it is not the word B-PER), with spaces too
            String[] columns = tabs ? TAB.split(line.stripTrailing(), -1)
                    : SPACES.split(line.startsWith("\t") ? line.stripTrailing() : trimmed);
            for (int c = 0; c < columns.length; c++) columns[c] = columns[c].strip();
            int tagAt = tagColumn == 0 ? columns.length : tagColumn;
            if (tokens.isEmpty() && trimmed.startsWith("#")
                    && (columns.length < 2 || tagAt > columns.length || !TAG_LIKE.matcher(columns[tagAt - 1]).matches())) {
                continue; // a comment line before a sentence
            }
            if (columns.length < 2 || tagAt > columns.length || tokenColumn > columns.length) {
                // name the setting that asked for a column the line lacks (the command line's option of that name)
                String wanted = tokenColumn > columns.length && columns.length >= 2
                        ? "the word in column " + tokenColumn + " (--token-column)"
                        : tagColumn == 0 ? "\"token ... tag\" columns" : "a tag in column " + tagColumn + " (--tag-column)";
                throw text.error("expected " + wanted + ", found " + TextFile.quote(line) + " ("
                        + (columns.length < 2 ? "no tag" : columns.length + " columns") + ")");
            }
            String token = columns[tokenColumn - 1];
            String tag = columns[tagAt - 1];
            if (token.isEmpty()) throw text.error("no word in column " + tokenColumn + " of " + TextFile.quote(line));
            if (tag.isEmpty()) throw text.error("empty tag in column " + tagAt + " of " + TextFile.quote(line));
            if (tabs && token.chars().anyMatch(Character::isWhitespace)) {
                throw text.error("the word \"" + token + "\" holds a space (columns are tab-separated in this file)");
            }
            tokens.add(token);
            tags.add(tag);
            sources.add(text.source());
        }
        if (!tokens.isEmpty()) sentences.add(new RawSentence(tokens, tags, sources));
        if (sentences.isEmpty()) throw CorpusReader.noSentences(text);
        return sentences;
    }
}
