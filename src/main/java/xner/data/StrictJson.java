package xner.data;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xner.XnerInputException;

/**
 * One line of JSON read strictly, as RFC 8259 writes it, for every reader of JSON Lines (the training and
 * evaluation corpora, the files {@code tag} reads). Refused: names or strings without double quotes, single
 * quotes, {@code NaN} and {@code Infinity}, comments, a name twice in one object, anything after the value.
 * Messages are in plain words with the column, and name no parser option: the caller puts file and line
 * before them.
 *
 * <pre>
 *   JsonElement e = StrictJson.parse("{\"text\": \"Jeff Dean\"}");
 *   StrictJson.parse("{text: 'x'}");   // XnerInputException: malformed at column 3 (path $): the unquoted word "text" ...
 * </pre>
 */
public final class StrictJson {
    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);
    private static final Pattern LOCATION = Pattern.compile(" at line (\\d+) column (\\d+) path (\\S*)");
    /** Deeper nesting than any record or request needs; the limit keeps a line of brackets from overflowing the stack. */
    public static final int MAX_DEPTH = 64;
    private static final Pattern WORD = Pattern.compile("[-+]?[A-Za-z0-9_$.]+");

    private StrictJson() {}

    /**
     * The JSON value that is the whole of {@code line} (a line of JSON Lines, or a request body, which may span
     * lines: a location past the first line is given as line and column).
     *
     * @throws XnerInputException when it is not strict JSON, with a message that says what and at which column
     */
    public static JsonElement parse(String line) {
        check(line);
        try {
            return JSON.read(strictReader(line)); // checked above: this reads what the check accepted
        } catch (IOException | RuntimeException e) {
            throw new XnerInputException(message(e.getMessage(), line));
        }
    }

    /**
     * Gson's error for {@code text}, in the words {@link #parse} uses: one line, with its column (and line, past the
     * first), without Gson's troubleshooting link; for readers that parse leniently on purpose ({@code config.json}
     * and the tokenizer files, as Python and Rust write them).
     */
    public static String describe(RuntimeException gsonError, String text) {
        // JsonParser wraps the reader's MalformedJsonException, whose class name then leads the message
        Throwable e = gsonError.getCause() instanceof IOException cause ? cause : gsonError;
        return message(e.getMessage(), text);
    }

    /**
     * What a JSON value is, in the words a message uses after "found": "an object", "an array", "a string",
     * "a number", "a boolean" or "null" (JSON's own names, for files and request bodies alike).
     */
    public static String kind(JsonElement e) {
        if (e.isJsonArray()) return "an array";
        if (e.isJsonNull()) return "null";
        if (e.isJsonObject()) return "an object";
        if (e.getAsJsonPrimitive().isString()) return "a string";
        if (e.getAsJsonPrimitive().isNumber()) return "a number";
        return "a boolean";
    }

    /** Walks {@code line} once: Gson's strict reader, plus the checks it leaves out (names twice, text after). */
    private static void check(String line) {
        JsonReader reader = strictReader(line);
        try {
            walk(reader, line);
        } catch (IOException | RuntimeException e) {
            if (e instanceof XnerInputException x) throw x;
            throw new XnerInputException(message(e.getMessage(), line));
        }
        try {
            if (reader.peek() != JsonToken.END_DOCUMENT) throw new IOException("after the value" + location(reader));
        } catch (IOException | RuntimeException e) {
            throw new XnerInputException(message(e.getMessage(), line, "more text after the JSON value (one value per line)"));
        }
    }

    private static void walk(JsonReader reader, String line) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                reader.beginObject();
                Set<String> names = new HashSet<>();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (!names.add(name)) {
                        throw new XnerInputException(message("duplicate name" + location(reader), line,
                                "the name \"" + name + "\" twice in one object"));
                    }
                    walk(reader, line);
                }
                reader.endObject();
            }
            case BEGIN_ARRAY -> {
                reader.beginArray();
                while (reader.hasNext()) walk(reader, line);
                reader.endArray();
            }
            case STRING, NUMBER -> reader.nextString();
            case BOOLEAN -> reader.nextBoolean();
            case NULL -> reader.nextNull();
            default -> throw new IOException("unexpected " + reader.peek() + location(reader));
        }
    }

    private static JsonReader strictReader(String line) {
        JsonReader reader = new JsonReader(new StringReader(line));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(MAX_DEPTH);
        return reader;
    }

    /** Gson's location string, " at line 1 column 9 path $.text", for {@link #message}. */
    private static String location(JsonReader reader) {
        String s = reader.toString();
        Matcher m = LOCATION.matcher(s);
        return m.find() ? m.group() : "";
    }

    private static String message(String gson, String line) {
        return message(gson, line, null);
    }

    /**
     * Gson's message cut to what a user can act on: without its last line (a troubleshooting link), in one line (a
     * line break Gson quotes from the input, as in the four characters of a bad {@code \\u} escape, shown as
     * {@code \\n}, so that the location after it stays), its advice to parse leniently said as "malformed", "line 1"
     * left out (the caller names the file's line), then what was found at the column, in words, when that can be told.
     */
    private static String message(String gson, String line, String found) {
        if (gson == null) return "unreadable JSON";
        int link = gson.lastIndexOf("\nSee ");
        String first = (link < 0 ? gson : gson.substring(0, link)).replace("\n", "\\n").replace("\r", "\\r");
        int column = -1;
        Matcher m = LOCATION.matcher(first);
        if (m.find()) {
            int lineNumber = Integer.parseInt(m.group(1));
            column = Integer.parseInt(m.group(2));
            String path = m.group(3).endsWith(".") ? m.group(3).substring(0, m.group(3).length() - 1) : m.group(3);
            String where = lineNumber > 1 ? " at line " + lineNumber + ", column " + column : " at column " + column;
            if (first.startsWith("Nesting limit")) return "nested deeper than " + MAX_DEPTH + " levels" + where;
            first = first.substring(0, m.start()) + where + " (path " + path + ")" + first.substring(m.end());
            if (lineNumber > 1) column = -1; // found() reads columns of the first line only
        }
        boolean lenientAdvice = first.startsWith("Use JsonReader.setStrictness");
        first = first.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed")
                .replace("Unescaped control characters (\\u0000-\\u001F) are not allowed in strict mode",
                        "a control character (U+0000 to U+001F) in a string: JSON writes it escaped, as \\n or \\u0007");
        if (found == null && lenientAdvice && column > 0) found = found(line, column);
        return found == null ? first : first + ": " + found;
    }

    /**
     * What stands near Gson's {@code column} where it refused lenient JSON (1-based; Gson counts the character it
     * stopped after or at), or null.
     */
    private static String found(String line, int column) {
        for (int at : new int[] {column - 2, column - 1}) {
            if (at < 0 || at >= line.length()) continue;
            char c = line.charAt(at);
            if (c == '\'') return "a single quote: JSON names and strings take double quotes";
            if (c == '/' || c == '#') return "a comment: JSON has none";
            if ((c == ']' || c == '}') && line.substring(0, at).stripTrailing().endsWith(",")) {
                return "a comma before \"" + c + "\"";
            }
            if (Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '_' || c == '$') {
                Matcher w = WORD.matcher(line);
                String word = w.find(at) && w.start() == at ? w.group() : String.valueOf(c);
                if (word.matches("[-+]?(NaN|Infinity)")) return word + ": JSON has no NaN or Infinity (write null or a string)";
                if (Character.isDigit(c) || c == '-' || c == '+') return "the number " + word + ", not written as JSON writes numbers";
                return "the unquoted word \"" + word + "\": JSON names and strings take double quotes (the only bare words are "
                        + "true, false and null)";
            }
        }
        return null;
    }
}
