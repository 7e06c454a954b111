package xner.data;

import java.nio.file.Path;
import java.util.List;
import xner.XnerInputException;

/**
 * A reader of one corpus file format: a file in, its tagged sentences out, in file order, each tag checked
 * against the reader's {@link LabelSet}. Implementations: {@link PanxReader} (XTREME PAN-X),
 * {@link ConllReader} (CoNLL-2003 columns), {@link JsonlReader} (JSON Lines).
 *
 * <p>Every implementation reads UTF-8 and tolerates a leading byte-order mark and CRLF line endings; it
 * refuses, with an {@link xner.XnerInputException} naming the file and line, a missing file, a file with no
 * sentence, and any record it cannot read whole. It never drops a record silently.
 */
public interface CorpusReader {
    /** The sentences of {@code file}, in file order. */
    List<Sentence> read(Path file);

    /** The label set every tag read is checked against. */
    LabelSet labels();

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
