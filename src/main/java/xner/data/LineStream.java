package xner.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import xner.XnerInputException;
import xner.io.StrictText;

/**
 * The lines of a byte stream read as it comes, for the readers of files to tag: never held whole, and each
 * line decoded on its own (UTF-8, or the charset given), so that a bad byte is reported at its own line and the
 * lines after it are still read. Tolerated, as {@link TextFile} tolerates them: a UTF-8 byte-order mark at the
 * start, CRLF line ends (the CR before the LF is dropped). A CR elsewhere stays in its line. Lines are cut at the
 * byte 0x0A, so the charset must write a line end as that one byte (UTF-8, ISO-8859-1, windows-1252... not
 * UTF-16).
 */
final class LineStream {
    private final InputStream in;
    private final Path file;
    private final Charset charset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int lineNumber;
    private long bytes;
    private byte[] raw;

    LineStream(InputStream in, Path file, Charset charset) {
        if (!Arrays.equals("A\n".getBytes(charset), new byte[] {'A', '\n'})) {
            throw new XnerInputException(file + ": " + charset.name() + " is read line by line here, which needs a charset "
                    + "that writes a line end as one byte (UTF-8, ISO-8859-1, windows-1252); convert the file to UTF-8");
        }
        this.in = new BufferedInputStream(in, 1 << 16);
        this.file = file;
        this.charset = charset;
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
        int start = lineNumber == 1 && charset.equals(StandardCharsets.UTF_8) && end >= 3 && (all[0] & 0xff) == 0xEF && (all[1] & 0xff) == 0xBB
                && (all[2] & 0xff) == 0xBF ? 3 : 0;
        raw = Arrays.copyOfRange(all, start, end);
        return true;
    }

    /** The current line as text, or null when it is not text in the stream's charset. */
    String text() {
        try {
            return StrictText.decode(raw, charset);
        } catch (StrictText.NotText e) {
            return null;
        }
    }

    /** The current line as text with what is not text in the stream's charset replaced, for a reader skipping it. */
    String lenientText() {
        return new String(raw, charset);
    }

    /** The current line's bytes, line end and byte-order mark left out. */
    byte[] raw() {
        return raw;
    }

    /** Why {@link #text()} is null. */
    String notText() {
        return "not " + (charset.equals(StandardCharsets.UTF_8) ? "UTF-8" : charset.name()) + " text"
                + (charset.equals(StandardCharsets.UTF_8) ? " (if the file is latin-1, give --encoding latin-1)" : "");
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
