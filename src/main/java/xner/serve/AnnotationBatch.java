package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xner.XnerInputException;
import xner.data.WordCutter;
import xner.io.Sha256;
import xner.io.StrictJson;

/**
 * The texts to correct, as {@code annotate --input} reads them: JSON Lines with a {@code text} and, optionally, its
 * pre-annotated entities ({@code select}'s and {@code tag}'s {@code entities}, Prodigy's {@code spans} or doccano's
 * {@code label}), or text lines that the model pre-annotates. The whole file is read at once and held: at most
 * {@link #MAX_BYTES} bytes. Its SHA-256 names the batch, so that decisions made on another batch are recognised.
 *
 * <p>Refused, naming the file and line: a line that is not strict JSON or not an object, no {@code text} string, an
 * entity whose label is not among the types, that starts or ends inside a word or in white space (words as the
 * model's tokenizer cuts them, as {@code train} reads span files back), or overlaps another. Blank lines and texts
 * without a word (nothing to annotate) are left out and counted.
 */
public final class AnnotationBatch {
    /** The largest batch file read: what bounds the memory a batch takes (its texts, held as strings). */
    public static final long MAX_BYTES = 64L << 20;

    /** The fields of a batch record that say which entities it holds, the annotator's first (as {@code SpanReader}). */
    static final List<String> SPAN_FIELDS = List.of("spans", "label", "entities");

    /**
     * An entity in a text.
     *
     * @param start UTF-16 index of its first character
     * @param end   UTF-16 index after its last character
     * @param label its type ({@code PER}), not a tag
     */
    public record Span(int start, int end, String label) {
        public Span {
            if (start < 0 || end <= start) throw new IllegalArgumentException("bad span " + start + ".." + end);
            if (label == null || label.isBlank()) throw new IllegalArgumentException("a span needs a label");
        }
    }

    /**
     * One text to decide on.
     *
     * @param line     its line in the batch file (1-based)
     * @param text     the text
     * @param entities its pre-annotation, sorted; null when the batch gives none (the model's then)
     * @param fields   the record's other fields, carried to the decision (none for a text line)
     */
    public record Item(int line, String text, List<Span> entities, JsonObject fields) {
        public Item {
            if (entities != null) entities = List.copyOf(entities);
        }
    }

    private final Path file;
    private final String sha256;
    private final List<Item> items;
    private final List<String> types;
    private final int withoutWords;

    private AnnotationBatch(Path file, String sha256, List<Item> items, List<String> types, int withoutWords) {
        this.file = file;
        this.sha256 = sha256;
        this.items = List.copyOf(items);
        this.types = List.copyOf(types);
        this.withoutWords = withoutWords;
    }

    /**
     * Reads {@code file}.
     *
     * @param jsonLines whether its lines are JSON records (else each line is a text)
     * @param types     the entity types an entity may have
     * @param words     how texts are cut into words (the model's tokenizer)
     */
    public static AnnotationBatch read(Path file, boolean jsonLines, List<String> types, WordCutter words) {
        if (types.isEmpty()) throw new XnerInputException("no entity types to annotate with");
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new XnerInputException(file + ": is a folder, expected a file");
            if (!Files.isRegularFile(file)) throw new XnerInputException(file + ": no such file");
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new XnerInputException(file + ": " + size + " bytes, over the " + MAX_BYTES + " an annotation batch may have "
                        + "(it is held in memory): cut it into smaller batches (select --count)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String sha256 = java.util.HexFormat.of().formatHex(Sha256.digest().digest(bytes));
        List<Item> items = new ArrayList<>();
        int withoutWords = 0;
        int start = 0;
        int line = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            line++;
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            if (line == 1 && stop - start >= 3 && (bytes[start] & 0xff) == 0xef && (bytes[start + 1] & 0xff) == 0xbb
                    && (bytes[start + 2] & 0xff) == 0xbf) {
                start += 3; // a byte-order mark
            }
            String text = decode(file, line, bytes, start, stop);
            start = end + 1;
            if (text.isBlank() && jsonLines) continue;
            if (!jsonLines && words.cut(text).isEmpty()) {
                withoutWords++;
                continue;
            }
            Item item = jsonLines ? record(file, line, text, types, words) : new Item(line, text, null, new JsonObject());
            if (item == null) {
                withoutWords++;
                continue;
            }
            items.add(item);
        }
        return new AnnotationBatch(file, sha256, items, types, withoutWords);
    }

    public Path file() {
        return file;
    }

    /** The SHA-256 of the file's bytes, in hex: the batch's identity. */
    public String sha256() {
        return sha256;
    }

    /** The texts to decide on, in file order. */
    public List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /** The entity types, in the order keys 1–9 choose them. */
    public List<String> types() {
        return types;
    }

    /** Lines left out because their text has no word (blank text lines among them). */
    public int withoutWords() {
        return withoutWords;
    }

    /** The index of the item read from {@code line}, or -1. */
    public int indexOfLine(int line) {
        int lo = 0;
        int hi = items.size() - 1;
        while (lo <= hi) { // items are in line order
            int mid = (lo + hi) >>> 1;
            int l = items.get(mid).line();
            if (l == line) return mid;
            if (l < line) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /**
     * Why {@code spans} cannot be the entities of {@code text}, or null when they can: each on word edges, of a known
     * type, none overlapping another. {@code name} names the list in the message ({@code spans}).
     */
    static String problem(String text, List<WordCutter.Word> words, List<Span> spans, List<String> types, String name) {
        Set<Integer> starts = new HashSet<>();
        Set<Integer> ends = new HashSet<>();
        for (WordCutter.Word w : words) {
            starts.add(w.charStart());
            ends.add(w.charEnd());
        }
        for (int i = 0; i < spans.size(); i++) {
            Span s = spans.get(i);
            String at = name + "[" + i + "]";
            if (s.end() > text.length()) return at + ": ends at " + s.end() + ", past the text's " + text.length() + " characters";
            if (!types.contains(s.label())) {
                return at + ": the label \"" + s.label() + "\" is not one of the types " + String.join(", ", types);
            }
            if (!starts.contains(s.start())) return at + ": starts at " + s.start() + ", which is not the start of a word";
            if (!ends.contains(s.end())) return at + ": ends at " + s.end() + ", which is not the end of a word";
        }
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::start));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start() < sorted.get(i - 1).end()) {
                return name + ": the entities " + describe(text, sorted.get(i - 1)) + " and " + describe(text, sorted.get(i))
                        + " overlap";
            }
        }
        return null;
    }

    private static String describe(String text, Span s) {
        return "\"" + text.substring(s.start(), s.end()) + "\" (" + s.start() + "–" + s.end() + ")";
    }


    /** A JSON record: its text, its entities (null when it names none) and its other fields; null when it has no word. */
    private static Item record(Path file, int line, String json, List<String> types, WordCutter words) {
        JsonElement element;
        try {
            element = StrictJson.parse(json);
        } catch (XnerInputException e) {
            throw error(file, line, "not JSON: " + e.getMessage() + " (a batch is JSON Lines, one object per line, as select "
                    + "writes it; --input-format text for one text per line)");
        }
        if (!element.isJsonObject()) {
            throw error(file, line, "expected a JSON object with a \"text\", found " + StrictJson.kind(element));
        }
        JsonObject o = element.getAsJsonObject();
        JsonElement text = o.get("text");
        if (!(text instanceof JsonPrimitive p) || !p.isString()) {
            throw error(file, line, "field \"text\": expected a string, found " + (text == null ? "none" : StrictJson.kind(text)));
        }
        String field = SPAN_FIELDS.stream().filter(o::has).findFirst().orElse(null);
        List<Span> entities = null;
        if (field != null) {
            JsonElement value = o.get(field);
            if (!value.isJsonArray()) {
                throw error(file, line, "field \"" + field + "\": expected an array of entities, found " + StrictJson.kind(value));
            }
            entities = new ArrayList<>();
            JsonArray array = value.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) entities.add(span(file, line, field + "[" + i + "]", array.get(i), field, types));
            entities.sort(Comparator.comparingInt(Span::start));
        }
        List<WordCutter.Word> cut = words.cut(p.getAsString());
        if (cut.isEmpty()) {
            if (entities != null && !entities.isEmpty()) throw error(file, line, "the text has no word, but entities");
            return null;
        }
        String problem = entities == null ? null : problem(p.getAsString(), cut, entities, types, field);
        if (problem != null) throw error(file, line, problem + " (words as the model's tokenizer cuts them)");
        JsonObject fields = new JsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!e.getKey().equals("text") && !SPAN_FIELDS.contains(e.getKey()) && !DecisionLog.OWN_FIELDS.contains(e.getKey())) {
                fields.add(e.getKey(), e.getValue());
            }
        }
        return new Item(line, p.getAsString(), entities, fields);
    }

    private static Span span(Path file, int line, String at, JsonElement e, String field, List<String> types) {
        int start;
        int end;
        String label;
        if (field.equals("label")) { // doccano: [start, end, "LABEL"]
            if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
                throw error(file, line, at + ": expected [start, end, \"LABEL\"] (doccano's spans), found " + e);
            }
            JsonArray a = e.getAsJsonArray();
            start = offset(file, line, at, a.get(0), "start");
            end = offset(file, line, at, a.get(1), "end");
            label = string(file, line, at, a.get(2), "the label");
        } else {
            if (!e.isJsonObject()) throw error(file, line, at + ": expected an object, found " + StrictJson.kind(e));
            JsonObject o = e.getAsJsonObject();
            String labelField = field.equals("entities") ? "entity_group" : "label";
            start = offset(file, line, at, o.get("start"), "start");
            end = offset(file, line, at, o.get("end"), "end");
            label = string(file, line, at, o.get(labelField), "field \"" + labelField + "\"");
        }
        if (end <= start) throw error(file, line, at + ": empty or reversed (start " + start + ", end " + end + ")");
        if (!types.contains(label)) {
            throw error(file, line, at + ": unknown label \"" + label + "\"; the types are " + String.join(", ", types)
                    + " (the model's, or --labels)");
        }
        return new Span(start, end, label);
    }

    private static int offset(Path file, int line, String at, JsonElement value, String name) {
        if (value instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && d >= 0 && d <= Integer.MAX_VALUE) return (int) d;
        }
        throw error(file, line, at + ": " + name + " is " + (value == null ? "missing" : value.toString())
                + ", expected a character offset (a whole number, 0 or more)");
    }

    private static String string(Path file, int line, String at, JsonElement value, String name) {
        if (value instanceof JsonPrimitive p && p.isString()) return p.getAsString();
        throw error(file, line, at + ": " + name + ": expected a string, found " + (value == null ? "none" : StrictJson.kind(value)));
    }

    private static String decode(Path file, int line, byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw error(file, line, "not UTF-8");
        }
    }

    static XnerInputException error(Path file, int line, String message) {
        return new XnerInputException(file + ":" + line + ": " + message);
    }

}
