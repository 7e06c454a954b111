package xner.data;

import xner.XnerInputException;

/**
 * What the {@code start} and {@code end} of an answer count. Java and JavaScript index strings by UTF-16 code
 * units, Python by code points: after an emoji (two UTF-16 units, one code point) the two differ, and a client
 * that slices {@code text[start:end]} needs the offsets of its own language. The service answers in either; span
 * files ({@link SpanReader}) are read in either.
 */
public enum Offsets {
    /** UTF-16 code units, as Java's {@code substring} and JavaScript's {@code slice}: the default. */
    UTF_16("utf-16"),
    /** Unicode code points, as Python's {@code str} (and the Hugging Face Inference API, which runs in Python). */
    CODE_POINTS("code-points");

    private final String wireName;

    Offsets(String wireName) {
        this.wireName = wireName;
    }

    /** The name in requests and options: {@code utf-16}, {@code code-points}. */
    public String wireName() {
        return wireName;
    }

    /** {@code name} as a request or option gives it; {@code field} names where, for the message. */
    public static Offsets parse(String name, String field) {
        for (Offsets o : values()) if (o.wireName.equalsIgnoreCase(name == null ? "" : name.strip())) return o;
        throw new XnerInputException(field + ": unknown offsets \"" + name + "\" (expected utf-16 or code-points)");
    }

    /** {@code utf16}, a UTF-16 index into {@code text}, counted as this says. */
    public int of(String text, int utf16) {
        return this == UTF_16 ? utf16 : text.codePointCount(0, utf16);
    }

    /** The length of {@code text} counted as this says. */
    public int length(String text) {
        return of(text, text.length());
    }

    /**
     * The UTF-16 index of {@code offset}, an index into {@code text} counted as this says; -1 when it lies past the
     * end of the text.
     */
    public int toUtf16(String text, int offset) {
        if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
        if (offset > length(text)) return -1;
        return this == UTF_16 ? offset : text.offsetByCodePoints(0, offset);
    }
}
