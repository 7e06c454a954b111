package xner.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a byte stream read as it comes, for the readers of files to tag: never held whole, and each
 * line decoded as UTF-8 on its own, so that a bad byte is reported at its own line and the lines after it are
 * still read. Tolerated, as {@link TextFile} tolerates them: a UTF-8 byte-order mark at the start, CRLF line
 * ends (the CR before the LF is dropped). A CR elsewhere stays in its line.
 */
final class LineStream {
    private final InputStream in;
    private final Path file;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int lineNumber;
    private long bytes;
    private byte[] raw;

    LineStream(InputStream in, Path file) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.file = file;
    }

    /** Moves to the next line; false at end of input. */
    boolean next() throws IOException {
        line.reset();
        int b;
        boolean any = false;
        while ((b = in.read()) != -1) {
            bytes++;
            any = true;
            if (b == '\n') break;
            line.write(b);
        }
        if (!any) {
            raw = null;
            return false;
        }
        lineNumber++;
        byte[] all = line.toByteArray();
        int end = all.length > 0 && all[all.length - 1] == '\r' ? all.length - 1 : all.length;
        int start = lineNumber == 1 && end >= 3 && (all[0] & 0xff) == 0xEF && (all[1] & 0xff) == 0xBB
                && (all[2] & 0xff) == 0xBF ? 3 : 0;
        raw = Arrays.copyOfRange(all, start, end);
        return true;
    }

    /** The current line as text, or null when it is not UTF-8. */
    String text() {
        try {
            return StrictText.utf8(raw);
        } catch (StrictText.NotText e) {
            return null;
        }
    }

    /** The current line's bytes, line end and byte-order mark left out. */
    byte[] raw() {
        return raw;
    }

    /** Why {@link #text()} is null. */
    static String notUtf8() {
        return "not UTF-8 text";
    }

    /** The number of the current line, 1-based (0 before the first). */
    int lineNumber() {
        return lineNumber;
    }

    /** Bytes read so far, line ends included. */
    long bytes() {
        return bytes;
    }

    /** Where the current line is. */
    Source source() {
        return new Source(file, lineNumber);
    }

    Path file() {
        return file;
    }
}
