package xner.data;

import java.util.regex.Pattern;

/**
 * How xner cuts the lines of a CoNLL file into a word and a tag: the one rule that training and evaluation
 * ({@link ConllReader}: a bad line stops the file) and tagging ({@link ConllRecordReader}: a bad line skips its
 * sentence) follow, so that a file one of them reads the other reads alike.
 *
 * <ul>
 *   <li>A blank line or a {@code -DOCSTART-} line ends a sentence.</li>
 *   <li>Separators: when the file's first word line (not a comment) holds a tab after its first character, columns
 *       are tab-separated (a column may then hold spaces, trimmed at its ends; a later line with spaces but no tab is
 *       refused as mixed separators); otherwise any run of spaces and tabs separates columns. Only spaces and tabs separate: a word
 *       keeps every other character it holds, a control character included. A line that starts with a tab has an
 *       empty first column either way.</li>
 *   <li>The word is in the layout's token column, the tag in its tag column (the last of each line by default).
 *       Where tags are optional (a file to tag), a line of one column is a word without a tag.</li>
 *   <li>Comments: a line that starts with {@code #} before a sentence's first word is a comment (GermEval's
 *       {@code # source} lines, CoNLL-U's {@code # text = ...}, the {@code # empty record} lines of tag's CoNLL
 *       output) unless it reads as a word: its tag column holds a tag ({@code O} or {@code P-TYPE}), or, where tags
 *       are optional, it is one column without a space ({@code #Zürich}).</li>
 * </ul>
 */
final class ConllColumns {
    private static final Pattern SPACES = Pattern.compile("[ \\t]+");
    private static final Pattern TAB = Pattern.compile("\\t");
    private static final Pattern EDGES = Pattern.compile("^[ \\t]+|[ \\t]+$");
    private static final Pattern TRAILING = Pattern.compile("[ \\t]+$");
    private static final Pattern TAG_LIKE = Pattern.compile("O|[A-Z]-\\S+");

    /** Why a line cannot be read as a word; the reader stops at it or skips its sentence. */
    static final class BadLine extends Exception {
        BadLine(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * One word line.
     *
     * @param tag     its tag as written, or null on a line without one (only where tags are optional)
     * @param columns how many columns the line has
     */
    record Word(String token, String tag, int columns) {}

    private final ColumnLayout layout;
    private final boolean tagRequired;
    private Boolean tabs; // decided by the file's first word line
    private int tabLine;

    /** @param tagRequired whether every word must have a tag (training, evaluation) or may lack one (tagging) */
    ConllColumns(ColumnLayout layout, boolean tagRequired) {
        this.layout = layout;
        this.tagRequired = tagRequired;
    }

    /** Whether {@code line} ends a sentence: blank, or a {@code -DOCSTART-} line. */
    static boolean endsSentence(String line) {
        return line.isBlank() || line.strip().startsWith("-DOCSTART-");
    }

    /**
     * The word of a line that does not end a sentence, or null when the line is a comment.
     *
     * @param lineNumber      the line's number, named when it decides the separator
     * @param atSentenceStart whether no word of the line's sentence has been read yet (only there are comments)
     */
    Word word(String line, int lineNumber, boolean atSentenceStart) throws BadLine {
        String trimmed = EDGES.matcher(line).replaceAll("");
        boolean mayBeComment = atSentenceStart && trimmed.startsWith("#");
        // a tab inside the line (not one that only leaves the first column empty) says tab-separated
        boolean tabbed = tabs != null ? tabs : trimmed.indexOf('\t') >= 0;
        if (tabs != null && tabs && line.indexOf('\t') < 0 && trimmed.indexOf(' ') >= 0 && !mayBeComment) {
            throw new BadLine("mixed separators: " + TextFile.quote(line) + " separates its columns with spaces, "
                    + "line " + tabLine + " with tabs");
        }
        // a leading empty column stays (a line "<TAB>B-PER" has no word, it is not the word B-PER), with spaces too
        String cut = TRAILING.matcher(line).replaceAll("");
        String[] columns = tabbed ? TAB.split(cut, -1) : SPACES.split(line.charAt(0) == '\t' ? cut : trimmed);
        for (int c = 0; c < columns.length; c++) columns[c] = EDGES.matcher(columns[c]).replaceAll("");
        int tagAt = layout.tagColumn() == 0 ? columns.length : layout.tagColumn();
        boolean hasTag = columns.length >= 2 && tagAt <= columns.length;
        if (mayBeComment) {
            boolean word = hasTag ? TAG_LIKE.matcher(columns[tagAt - 1]).matches()
                    : !tagRequired && columns.length == 1 && layout.tagColumn() == 0 && trimmed.indexOf(' ') < 0;
            if (!word) return null; // a comment decides no separator
        }
        if (tabs == null) {
            tabs = tabbed;
            tabLine = lineNumber;
        }
        int tokenColumn = layout.tokenColumn();
        boolean wordOnly = !tagRequired && columns.length == 1 && layout.tagColumn() == 0 && tokenColumn == 1;
        if (!wordOnly && (!hasTag || tokenColumn > columns.length)) {
            // name the setting that asked for a column the line lacks (the command line's option of that name)
            String wanted = tokenColumn > columns.length && columns.length >= 2
                    ? "the word in column " + tokenColumn + " (--token-column)"
                    : layout.tagColumn() == 0 ? "\"token ... tag\" columns" : "a tag in column " + layout.tagColumn() + " (--tag-column)";
            throw new BadLine("expected " + wanted + ", found " + TextFile.quote(line) + " ("
                    + (columns.length < 2 ? "no tag" : columns.length + " columns") + ")");
        }
        String token = columns[tokenColumn - 1];
        String tag = wordOnly ? null : columns[tagAt - 1];
        if (token.isEmpty()) {
            throw new BadLine("no word in column " + tokenColumn + " of " + TextFile.quote(line)
                    + (tokenColumn == 1 && line.charAt(0) == '\t' ? " (the line starts with a tab)" : ""));
        }
        if (tag != null && tag.isEmpty()) throw new BadLine("empty tag in column " + tagAt + " of " + TextFile.quote(line));
        if (tabs && token.chars().anyMatch(Character::isWhitespace)) {
            throw new BadLine("the word \"" + token + "\" holds a space (columns are tab-separated in this file)");
        }
        return new Word(token, tag, columns.length);
    }
}
