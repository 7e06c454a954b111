package xner.data;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import xner.XnerInputException;
import xner.io.StrictText;

/**
 * A text file read whole and handed out line by line with 1-based line numbers, the way every reader of
 * this package sees its input. UTF-8 unless another charset is given (a user's CoNLL files are often
 * latin-1). Tolerated, by design: a byte-order mark at the start of the file is dropped, and a line may end
 * with CRLF as well as LF (the CR is dropped). Refused with file, line and byte offset: bytes that are not
 * valid in the charset (the message says which {@code --encoding} to try). Refused with the file: a missing
 * file, a folder.
 *
 * <p>Whole-file reading keeps line numbers exact for decoding errors (a buffered reader decodes ahead of the
 * line it returns); PAN-X files are a few MB.
 */
final class TextFile {
    private final Path file;
    private final String text;
    private int pos;
    private int line;

    private TextFile(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    static TextFile read(Path file) {
        return read(file, StandardCharsets.UTF_8);
    }

    static TextFile read(Path file, Charset charset) {
        if (Files.isDirectory(file)) throw new XnerInputException(file + ": is a folder, expected a file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(file + ": no such file");
        } catch (IOException e) {
            throw new XnerInputException(file + ": cannot read: " + e, e);
        }
        return new TextFile(file, decode(file, bytes, charset));
    }

    /** The next line without its line ending, or null at end of file. */
    String nextLine() {
        if (pos >= text.length()) return null;
        int end = text.indexOf('\n', pos);
        if (end < 0) end = text.length();
        int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
        String result = text.substring(pos, stop);
        pos = end + 1;
        line++;
        return result;
    }

    /** The number of the line {@link #nextLine()} returned last (1-based; 0 before the first). */
    int lineNumber() {
        return line;
    }

    Path file() {
        return file;
    }

    /** Where the last line came from. */
    Source source() {
        return new Source(file, line);
    }

    /** An error located at the last line read. */
    XnerInputException error(String message) {
        return new XnerInputException(source().at(message));
    }

    /** A line as an error message quotes it: tabs shown as {@code <TAB>}, long lines cut. */
    static String quote(String line) {
        String shown = line.length() > 80 ? line.substring(0, 77) + "..." : line;
        return "\"" + shown.replace("\t", "<TAB>") + "\"";
    }

    private static String decode(Path file, byte[] bytes, Charset charset) {
        String text;
        try {
            text = StrictText.decode(bytes, charset);
        } catch (StrictText.NotText e) {
            int offset = e.offset();
            int lineNumber = 1;
            for (int i = 0; i < offset; i++) if (bytes[i] == '\n') lineNumber++;
            String hint = charset.equals(StandardCharsets.UTF_8)
                    ? "; if the file is latin-1 (ISO-8859-1), give --encoding latin-1 (or the charset it was written in)"
                    : "; give --encoding with the charset the file was written in";
            throw new XnerInputException(new Source(file, lineNumber).at("not " + charset.name() + " text (byte 0x"
                    + String.format("%02x", bytes[offset] & 0xff) + " at byte offset " + offset + ")" + hint));
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
