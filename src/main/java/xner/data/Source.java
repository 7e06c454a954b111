package xner.data;

import java.nio.file.Path;

/**
 * Where a record was read: a file and a 1-based line number (0 when the record has no single line, as for
 * a row of a parquet file, where {@code line} is then the row index + 1).
 */
public record Source(Path file, int line) {
    public Source {
        if (file == null) throw new IllegalArgumentException("file must not be null");
        if (line < 0) throw new IllegalArgumentException("line must be >= 0, was " + line);
    }

    /** A message located at this source, as a compiler prints it: {@code file:line: message}. */
    public String at(String message) {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file.toString();
    }
}
