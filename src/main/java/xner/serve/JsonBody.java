package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;

/**
 * A strict JSON reader for request bodies (RFC 8259, nothing more): one value and only whitespace around it, no
 * duplicate keys, no {@code NaN} or {@code Infinity}, no comments or single quotes, at most {@value #MAX_DEPTH}
 * levels of nesting. A body it refuses is a 400 whose message says what is wrong and at which character offset
 * (0-based, in the decoded text).
 *
 * <p>Why not Gson's reader: even in its strict mode it keeps the last of two equal keys, and its messages speak of
 * its own API ("Use JsonReader.setStrictness…", a link to its troubleshooting page), not of the request.
 */
final class JsonBody {
    /** Deeper nesting than any request needs; the limit keeps a body of brackets from overflowing the stack. */
    static final int MAX_DEPTH = 64;
    private static final String PREFIX = "the request body is not JSON: ";

    private final String text;
    private int at;

    private JsonBody(String text) {
        this.text = text;
    }

    /** Reads {@code text} as one JSON value; throws a 400 {@link HttpError} naming what is wrong and where. */
    static JsonElement parse(String text) {
        JsonBody reader = new JsonBody(text);
        reader.skipWhitespace();
        if (reader.at == text.length()) throw HttpError.malformed(PREFIX + (text.isEmpty() ? "it is empty" : "it holds only whitespace"));
        JsonElement value = reader.value(0);
        reader.skipWhitespace();
        if (reader.at < text.length()) throw reader.error("something after the JSON value: " + reader.describe());
        return value;
    }

    private JsonElement value(int depth) {
        if (at == text.length()) throw error("the text ends where a value was expected");
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new JsonPrimitive(string());
            case 't' -> literal("true", new JsonPrimitive(true));
            case 'f' -> literal("false", new JsonPrimitive(false));
            case 'n' -> literal("null", JsonNull.INSTANCE);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                if (text.startsWith("NaN", at) || text.startsWith("Infinity", at)) {
                    throw error("NaN and Infinity are not JSON numbers");
                }
                throw error("expected a value (a string, number, object, list, true, false or null), found " + describe());
            }
        };
    }

    private JsonObject object(int depth) {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        JsonObject object = new JsonObject();
        at++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            at++;
            return object;
        }
        while (true) {
            if (peek() != '"') throw error("expected a field name in double quotes, found " + describe());
            int keyAt = at;
            String key = string();
            if (object.has(key)) {
                at = keyAt;
                throw error("the field \"" + key + "\" appears twice in one object");
            }
            skipWhitespace();
            if (peek() != ':') throw error("expected ':' after the field name \"" + key + "\", found " + describe());
            at++;
            skipWhitespace();
            object.add(key, value(depth));
            skipWhitespace();
            char c = peek();
            at++;
            if (c == '}') return object;
            if (c != ',') {
                at--;
                throw error("expected ',' or '}' after the value of \"" + key + "\", found " + describe());
            }
            skipWhitespace();
        }
    }

    private JsonArray array(int depth) {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        JsonArray array = new JsonArray();
        at++; // '['
        skipWhitespace();
        if (peek() == ']') {
            at++;
            return array;
        }
        while (true) {
            array.add(value(depth));
            skipWhitespace();
            char c = peek();
            at++;
            if (c == ']') return array;
            if (c != ',') {
                at--;
                throw error("expected ',' or ']' after a list element, found " + describe());
            }
            skipWhitespace();
        }
    }

    private String string() {
        int start = at;
        at++; // '"'
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at == text.length()) {
                at = start;
                throw error("a string that is never closed");
            }
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return out.toString();
            }
            if (c < 0x20) throw error("a control character (" + codePoint(c) + ") inside a string; write it as an escape such as \\n");
            if (c != '\\') {
                out.append(c);
                at++;
                continue;
            }
            if (at + 1 == text.length()) throw error("an escape (\\) at the end of the text");
            char e = text.charAt(at + 1);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = at + 2 + i < text.length() ? Character.digit(text.charAt(at + 2 + i), 16) : -1;
                        if (digit < 0) throw error("\\u must be followed by four hexadecimal digits");
                        code = code * 16 + digit;
                    }
                    out.append((char) code); // a lone surrogate is legal JSON: the model decides what to make of it
                    at += 4;
                }
                default -> throw error("an unknown escape \\" + e + " (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
            at += 2;
        }
    }

    private JsonPrimitive number() {
        int start = at;
        if (peek() == '-') at++;
        if (peek() == '0') {
            at++;
            if (Character.isDigit(peek())) throw error("a number with a leading zero");
        } else if (!digits()) {
            if (text.startsWith("Infinity", at)) throw error("NaN and Infinity are not JSON numbers");
            throw error("expected a digit after '-', found " + describe());
        }
        if (peek() == '.') {
            at++;
            if (!digits()) throw error("expected a digit after the decimal point, found " + describe());
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') at++;
            if (!digits()) throw error("expected a digit in the exponent, found " + describe());
        }
        try {
            return new JsonPrimitive(new BigDecimal(text.substring(start, at)));
        } catch (NumberFormatException e) {
            at = start;
            throw error("a number out of range");
        }
    }

    /** Skips ASCII digits; returns whether there was one. */
    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
        return at > start;
    }

    private JsonElement literal(String word, JsonElement value) {
        if (!text.startsWith(word, at)) throw error("expected a value (a string, number, object, list, true, false or null), found " + describe());
        at += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            at++;
        }
    }

    /** The character at the cursor, or 0 at the end. */
    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    /** What is at the cursor, for a message. */
    private String describe() {
        if (at >= text.length()) return "the end of the text";
        int c = text.codePointAt(at);
        if (c == '\'') return "a single quote (JSON strings take double quotes)";
        if (c == 0xFEFF) return "a byte order mark";
        if (c < 0x20 || Character.isWhitespace(c) || Character.isISOControl(c)) return codePoint(c);
        return "'" + new String(Character.toChars(c)) + "'";
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }

    private HttpError error(String what) {
        return HttpError.malformed(PREFIX + what + " at character " + at);
    }
}
