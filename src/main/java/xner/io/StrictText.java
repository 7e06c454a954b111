package xner.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes decoded strictly: a byte sequence that is not valid in the charset is refused, never replaced by
 * U+FFFD, for every reader of text (corpus files, files to tag, the strings of a SentencePiece model, request
 * bodies). Each caller says what a refusal means for it (an error at a line, a skipped record, a 400).
 *
 * <pre>
 *   String text = StrictText.decode(bytes, StandardCharsets.UTF_8);   // or StrictText.NotText e: e.offset()
 * </pre>
 */
public final class StrictText {
    private StrictText() {}

    /** Bytes that are not text in a charset, and where the first bad sequence starts. */
    public static final class NotText extends Exception {
        private final int offset;

        NotText(Charset charset, int offset) {
            super("not " + charset.name() + " text (at byte offset " + offset + ")");
            this.offset = offset;
        }

        /** The byte offset of the first malformed or unmappable sequence (0-based). */
        public int offset() {
            return offset;
        }
    }

    /** The UTF-8 text of {@code bytes}. */
    public static String utf8(byte[] bytes) throws NotText {
        return decode(bytes, StandardCharsets.UTF_8);
    }

    /** The text of {@code bytes} in {@code charset}; a byte-order mark is kept (it is text). */
    public static String decode(byte[] bytes, Charset charset) throws NotText {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) throw new NotText(charset, in.position());
        return out.flip().toString();
    }
}
