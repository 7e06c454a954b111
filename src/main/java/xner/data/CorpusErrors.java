package xner.data;

import xner.XnerInputException;

/**
 * What every reader of a corpus file says alike ({@link PanxReader}, {@link ConllReader}, {@link JsonlReader},
 * {@link SpanReader}): each reads UTF-8 by default (or the charset given), tolerates a leading byte-order mark and
 * CRLF line endings, and refuses, with an {@link XnerInputException} naming the file and line, a missing file, a
 * file with no sentence, and any record it cannot read whole. None drops a record silently.
 */
final class CorpusErrors {
    private CorpusErrors() {}

    /** The error of a file that holds no sentence, said after the whole file was read. */
    static XnerInputException noSentences(TextFile text) {
        return new XnerInputException(text.file() + ": no sentences ("
                + (text.lineNumber() == 0 ? "the file is empty)" : "its " + text.lineNumber() + " lines are blank, comments or "
                + "-DOCSTART- lines)"));
    }

    /** What every reader says of a tag outside the label set; the caller puts file and line before it. */
    static String unknownTag(String name, LabelSet labels) {
        return "unknown tag \"" + name + "\" (the label set is " + String.join(", ", labels.names()) + ")";
    }
}
