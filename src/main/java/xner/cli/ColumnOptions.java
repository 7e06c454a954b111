package xner.cli;

import picocli.CommandLine.Option;
import xner.XnerInputException;
import xner.data.ColumnLayout;

/**
 * How a user's file is written: its charset and, for CoNLL, the word's and the tag's column. One group, so that
 * {@code train}, {@code evaluate}, {@code tag --input} and {@code select} read one file alike.
 */
final class ColumnOptions {
    @Option(names = "--encoding", defaultValue = "UTF-8", paramLabel = "CHARSET",
            description = "The files' charset, e.g. latin-1 (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--token-column", defaultValue = "1", paramLabel = "N",
            description = "CoNLL: the word's column, 1-based (default: ${DEFAULT-VALUE}; 2 for GermEval's TSV).")
    int tokenColumn;

    @Option(names = "--tag-column", paramLabel = "N",
            description = "CoNLL: the tag's column, 1-based (default: the last column of each line).")
    Integer tagColumn; // null: the last column

    ColumnLayout layout() {
        if (tagColumn != null && tagColumn < 1) {
            throw new XnerInputException("--tag-column: columns count from 1, got " + tagColumn + " (leave it out for the last column)");
        }
        return new ColumnLayout(ColumnLayout.charset(encoding, "--encoding"), tokenColumn, tagColumn == null ? 0 : tagColumn);
    }
}
