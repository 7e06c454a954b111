package xner.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xner.XnerInputException;

/**
 * All of xner's JSON reading, strict: a line of JSON Lines or a request body as RFC 8259 writes it ({@link #parse}),
 * and the JSON files of models, tokenizers and runs as Python's {@code json} module writes them ({@link #readObject}:
 * the same, plus the bare {@code NaN}, {@code Infinity} and {@code -Infinity} that Python and {@link JsonOutput}
 * write for a loss that became NaN). Refused: names or strings without double quotes, single quotes, comments, a
 * name twice in one object, anything after the value, control characters inside strings. Messages are in plain
 * words with the column, and name no parser option: the caller puts file and line before them ({@code readObject}
 * names the file itself).
 *
 * <pre>
 *   JsonElement e = StrictJson.parse("{\"text\": \"Jeff Dean\"}");
 *   StrictJson.parse("{text: 'x'}");   // XnerInputException: malformed at column 3 (path $): the unquoted word "text" ...
 *   JsonObject config = StrictJson.readObject(dir.resolve("config.json"));
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
     * The JSON object that is the whole of {@code text}, a file's content as Python's {@code json} writes it (strict,
     * but for bare {@code NaN} and {@code ±Infinity} as values).
     *
     * @param where names the text in messages: "{@code where}: not valid JSON: ..." or "{@code where}: expected a JSON
     *              object, found an array"
     */
    public static JsonObject parseObject(String text, String where) {
        try {
            check(maskPythonNumbers(text));
        } catch (XnerInputException e) {
            throw new XnerInputException(where + ": not valid JSON: " + e.getMessage(), e);
        }
        // checked above, all but the masked numbers: Gson's lenient reader is the one that reads NaN and Infinity
        JsonElement root = JsonParser.parseString(text);
        if (!root.isJsonObject()) throw new XnerInputException(where + ": expected a JSON object, found " + kind(root));
        return root.getAsJsonObject();
    }

    /** {@link #parseObject} of a UTF-8 file, its path in every message. */
    public static JsonObject readObject(Path file) throws IOException {
        try {
            return parseObject(StrictText.utf8(Files.readAllBytes(file)), file.toString());
        } catch (StrictText.NotText e) {
            throw new XnerInputException(file + ": " + e.getMessage());
        }
    }

    /**
     * {@code text} with each bare {@code NaN}, {@code Infinity} or {@code -Infinity} outside strings replaced by a
     * {@code 0} padded with spaces to the same length, so that the strict check sees a number and reports columns
     * of the text as it is. Only where a value starts: {@code 1-Infinity} stays, and is refused.
     */
    static String maskPythonNumbers(String text) {
        StringBuilder masked = null;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') {
                inString = true;
                continue;
            }
            if ((c != 'N' && c != 'I' && c != '-') || !startsValue(text, i)) continue;
            for (String word : PYTHON_NUMBERS) {
                int end = i + word.length();
                if (text.startsWith(word, i) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
                    if (masked == null) masked = new StringBuilder(text);
                    masked.replace(i, end, "0" + " ".repeat(word.length() - 1));
                    i = end - 1;
                    break;
                }
            }
        }
        return masked == null ? text : masked.toString();
    }

    private static final String[] PYTHON_NUMBERS = {"-Infinity", "Infinity", "NaN"};

    /** Whether a value may start at {@code i}: first in the text, or after {@code :}, {@code ,} or {@code [}. */
    private static boolean startsValue(String text, int i) {
        int before = i - 1;
        while (before >= 0 && Character.isWhitespace(text.charAt(before))) before--;
        return before < 0 || ":,[".indexOf(text.charAt(before)) >= 0;
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
