package xner.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import xner.XnerInputException;

/**
 * How a user's file is written: its charset, and for CoNLL columns where the word and the tag are. {@code train
 * --encoding --token-column --tag-column} and {@code tag --input} with the same options read one file alike.
 *
 * @param encoding    the file's charset (UTF-8 by default)
 * @param tokenColumn CoNLL column of the word, 1-based (1 by default; 2 for GermEval's TSV with an index column)
 * @param tagColumn   CoNLL column of the tag, 1-based; 0 for the last column of each line
 */
public record ColumnLayout(Charset encoding, int tokenColumn, int tagColumn) {
    /** UTF-8, the word in the first column and the tag in the last. */
    public static final ColumnLayout DEFAULT = new ColumnLayout(StandardCharsets.UTF_8, 1, 0);

    public ColumnLayout {
        if (encoding == null) throw new IllegalArgumentException("encoding must not be null");
        if (tokenColumn < 1) throw new XnerInputException("--token-column: columns count from 1, got " + tokenColumn);
        if (tagColumn < 0) {
            throw new XnerInputException("--tag-column: columns count from 1, got " + tagColumn + " (leave it out for the last column)");
        }
        if (tagColumn != 0 && tagColumn == tokenColumn) {
            throw new XnerInputException("--tag-column and --token-column are both " + tagColumn);
        }
    }

    /**
     * The charset a name on the command line means: Python's spellings {@code latin-1} / {@code latin_1} are Java's
     * ISO-8859-1; an unknown name is an error naming {@code option}.
     */
    public static Charset charset(String name, String option) {
        String n = name.strip();
        if (n.matches("(?i)latin[-_]?1")) return StandardCharsets.ISO_8859_1;
        try {
            return Charset.forName(n);
        } catch (java.nio.charset.IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
            throw new XnerInputException(option + ": unknown charset \"" + name + "\" (e.g. UTF-8, latin-1, windows-1252)");
        }
    }
}
