package xner.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The contract of a {@link RecordReader} under fuzzing: every record of any bytes comes back, a record that cannot
 * be read as an {@link InputRecord.Malformed} with its reason, each at a line of the input; no exception.
 */
final class RecordFuzzing {
    private RecordFuzzing() {}

    static void readAll(RecordReader records, Path file, byte[] bytes) {
        long lines = 1;
        for (byte b : bytes) if (b == '\n') lines++;
        try {
            for (InputRecord r; (r = records.next()) != null; ) {
                if (!r.source().file().equals(file) || r.source().line() < 1 || r.source().line() > lines) {
                    throw new AssertionError("a record at " + r.source() + ", outside " + file + "'s " + lines + " lines: " + r);
                }
                if (r instanceof InputRecord.Malformed m && (m.reason() == null || m.reason().isBlank() || m.reason().indexOf('\n') >= 0)) {
                    throw new AssertionError("a malformed record without a one-line reason: " + r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading bytes in memory", e);
        }
    }
}
