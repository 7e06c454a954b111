package xner.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xner.io.StrictJson;

/**
 * A reader of span-annotated JSON Lines, a text and its entities as character offsets, in the shapes annotation
 * tools export and {@code tag} writes:
 * <ul>
 * <li>Prodigy: {@code {"text": "...", "spans": [{"start": 0, "end": 9, "label": "PER"}], "answer": "accept"}}; a
 *     record whose {@code answer} is {@code reject} or {@code ignore} is left out (and counted);</li>
 * <li>doccano: {@code {"text": "...", "label": [[0, 9, "PER"]]}};</li>
 * <li>{@code tag}'s JSON Lines output: {@code {"text": "...", "entities": [{"entity_group": "PER", "start": 0,
 *     "end": 9, "word": "Jeff Dean", ...}]}}, so that what xner writes (and {@code select} chooses) it reads back.</li>
 * </ul>
 * A record may hold more than one of these fields (Prodigy keeps the fields of what it was given, so a text
 * pre-annotated by {@code select} comes back with its {@code entities} and the annotator's {@code spans}): the
 * annotator's field wins, {@code spans}, then {@code label}, then {@code entities}.
 *
 * <p>The text is cut into words by a {@link WordCutter}, as {@code tag} cuts it, and each span becomes IOB2 tags
 * of its words ({@code B-PER I-PER}). Offsets count UTF-16 code units unless the file is read in
 * {@link Offsets#CODE_POINTS code points} (Python's, Prodigy's and doccano's unit). Nothing is shifted to fit:
 * refused, naming file, line and the span as the record writes it, is a span that starts or ends inside a word
 * or in white space, overlaps another, is empty, falls outside the text, or whose own text ({@code text} of a
 * Prodigy span, {@code word} of {@code tag}'s) is not the text at its offsets; when the span would fit read in
 * the other unit, the message says so.
 *
 * <p>Tolerated and counted ({@link AnnotatedTexts}): blank lines; records rejected or ignored; records whose
 * text has no word (empty, or only white space), when they have no span.
 */
public final class SpanReader {
    /** The span fields, in the order they are looked for: the annotator's first, xner's pre-annotation last. */
    private static final List<String> SPAN_FIELDS = List.of("spans", "label", "entities");

    private SpanReader() {}

    /**
     * What a span file holds.
     *
     * @param sentences    the accepted records as words with IOB2 tags, each word sourced at its record's line
     * @param rejected     records left out because their {@code answer} is {@code reject}
     * @param ignored      records left out because their {@code answer} is {@code ignore}
     * @param withoutWords records left out because their text has no word
     */
    public record AnnotatedTexts(List<RawSentence> sentences, int rejected, int ignored, int withoutWords) {
        public AnnotatedTexts {
            sentences = List.copyOf(sentences);
        }

        /** What was left out, for the reader's summary line: "; left out: 2 rejected, 1 ignored", or "". */
        public String leftOut() {
            List<String> parts = new ArrayList<>();
            if (rejected > 0) parts.add(rejected + " rejected");
            if (ignored > 0) parts.add(ignored + " ignored");
            if (withoutWords > 0) parts.add(withoutWords + " without words");
            return parts.isEmpty() ? "" : "; left out: " + String.join(", ", parts);
        }
    }

    /** Whether a JSON Lines record is in one of the span shapes: a {@code text} and no {@code ner_tags}. */
    static boolean isSpanRecord(JsonObject record) {
        return record.has("text") && !record.has("ner_tags");
    }

    /**
     * Reads {@code file}'s accepted records as words and IOB2 tags.
     *
     * @param offsets what the file's {@code start} and {@code end} count
     * @param words   how texts are cut into words (the model's tokenizer)
     */
    public static AnnotatedTexts read(Path file, Charset charset, Offsets offsets, WordCutter words) {
        TextFile text = TextFile.read(file, charset);
        List<RawSentence> sentences = new ArrayList<>();
        int rejected = 0;
        int ignored = 0;
        int withoutWords = 0;
        int records = 0;
        for (String line; (line = text.nextLine()) != null; ) {
            if (line.isBlank()) continue;
            records++;
            JsonObject record = parseObject(text, line);
            String body = text(text, record);
            String answer = answer(text, record);
            if (answer.equals("reject")) {
                rejected++;
                continue;
            }
            if (answer.equals("ignore")) {
                ignored++;
                continue;
            }
            List<Span> spans = spans(text, record);
            List<WordCutter.Word> cut = words.cut(body);
            if (cut.isEmpty() && spans.isEmpty()) {
                withoutWords++;
                continue;
            }
            sentences.add(sentence(text, body, spans, cut, offsets));
        }
        if (records == 0) throw CorpusErrors.noSentences(text);
        if (sentences.isEmpty()) {
            throw new xner.XnerInputException(file + ": none of its " + records + " records can be trained or scored on ("
                    + rejected + " rejected, " + ignored + " ignored, " + withoutWords + " without words)");
        }
        return new AnnotatedTexts(sentences, rejected, ignored, withoutWords);
    }

    /**
     * The text of every record of {@code file}, whatever its answer (a text rejected or ignored has been seen by an
     * annotator too): the {@code text} field, or for a record of words ({@code tokens}) the words joined by single
     * spaces, as {@code tag} joins a CoNLL sentence. For {@code select --exclude}.
     */
    public static List<String> texts(Path file, Charset charset) {
        TextFile text = TextFile.read(file, charset);
        List<String> texts = new ArrayList<>();
        for (String line; (line = text.nextLine()) != null; ) {
            if (line.isBlank()) continue;
            JsonObject record = parseObject(text, line);
            if (!record.has("text") && record.get("tokens") instanceof JsonArray tokens) {
                List<String> joined = new ArrayList<>(tokens.size());
                for (int i = 0; i < tokens.size(); i++) {
                    if (!(tokens.get(i) instanceof JsonPrimitive p) || !p.isString()) {
                        throw text.error("tokens[" + i + "] is " + tokens.get(i) + ", expected a string");
                    }
                    joined.add(p.getAsString());
                }
                texts.add(String.join(" ", joined));
            } else {
                texts.add(text(text, record));
            }
        }
        return texts;
    }

    /**
     * One span as the record writes it, before it is checked.
     *
     * @param where    how a message names it: {@code spans[1] {start 5, end 9, label "PER"}}
     * @param start    its start, in the file's unit
     * @param end      its end, in the file's unit
     * @param label    the entity type
     * @param ownText  the text the span says it covers ({@code text} of Prodigy's span, {@code word} of tag's), or null
     */
    private record Span(String where, int start, int end, String label, String ownText) {}

    /** A span placed on the text: its UTF-16 offsets and the words it covers (first and last, inclusive). */
    private record Placed(Span span, int charStart, int charEnd, int firstWord, int lastWord) {}

    private static RawSentence sentence(TextFile file, String text, List<Span> spans, List<WordCutter.Word> words,
            Offsets offsets) {
        Map<Integer, Integer> wordAt = new HashMap<>();  // UTF-16 start → word index
        Map<Integer, Integer> wordEnding = new HashMap<>(); // UTF-16 end → word index
        for (int i = 0; i < words.size(); i++) {
            wordAt.put(words.get(i).charStart(), i);
            wordEnding.put(words.get(i).charEnd(), i);
        }
        List<Placed> placed = new ArrayList<>();
        for (Span s : spans) {
            if (s.start() >= s.end()) {
                throw file.error(s.where() + ": " + (s.start() == s.end() ? "empty" : "ends before it starts")
                        + " (a span covers start up to, not including, end)");
            }
            Object fit = place(s, text, words, wordAt, wordEnding, offsets);
            if (fit instanceof String problem) {
                Offsets other = offsets == Offsets.UTF_16 ? Offsets.CODE_POINTS : Offsets.UTF_16;
                String hint = "";
                if (text.length() != text.codePointCount(0, text.length())
                        && place(s, text, words, wordAt, wordEnding, other) instanceof Placed p) {
                    hint = "; counted in " + unitName(other) + " it would be " + quote(text.substring(p.charStart(), p.charEnd()))
                            + ": if the file counts " + unitName(other) + ", give --offsets " + other.wireName();
                }
                throw file.error(s.where() + ": " + problem + hint);
            }
            placed.add((Placed) fit);
        }
        placed.sort(Comparator.comparingInt(Placed::charStart).thenComparingInt(Placed::charEnd));
        for (int i = 1; i < placed.size(); i++) {
            Placed before = placed.get(i - 1);
            Placed after = placed.get(i);
            if (after.charStart() < before.charEnd()) {
                throw file.error(after.span().where() + " overlaps " + before.span().where()
                        + ": a word has one tag, so entities cannot overlap (nested entities are not supported)");
            }
        }
        List<String> tokens = new ArrayList<>(words.size());
        List<String> tags = new ArrayList<>(Collections.nCopies(words.size(), "O"));
        for (WordCutter.Word w : words) tokens.add(text.substring(w.charStart(), w.charEnd()));
        for (Placed p : placed) {
            tags.set(p.firstWord(), "B-" + p.span().label());
            for (int w = p.firstWord() + 1; w <= p.lastWord(); w++) tags.set(w, "I-" + p.span().label());
        }
        return new RawSentence(tokens, tags, Collections.nCopies(tokens.size(), file.source()));
    }

    /**
     * {@code s} placed on {@code text} with offsets counted in {@code unit}: a {@link Placed}, or why it does not fit
     * (a String, in the words of the message, offsets in the file's unit).
     */
    private static Object place(Span s, String text, List<WordCutter.Word> words, Map<Integer, Integer> wordAt,
            Map<Integer, Integer> wordEnding, Offsets unit) {
        int start = unit.toUtf16(text, s.start());
        int end = unit.toUtf16(text, s.end());
        if (start < 0 || end < 0) {
            return "falls outside the text, which has " + unit.length(text) + " " + unitName(unit);
        }
        if (cutsAPair(text, start)) return "starts inside the character " + codePoint(text, start - 1) + " (its UTF-16 pair)";
        if (cutsAPair(text, end)) return "ends inside the character " + codePoint(text, end - 1) + " (its UTF-16 pair)";
        Integer first = wordAt.get(start);
        if (first == null) return "starts " + where(text, start, words, unit, true);
        Integer last = wordEnding.get(end);
        if (last == null) return "ends " + where(text, end, words, unit, false);
        if (s.ownText() != null && !s.ownText().equals(text.substring(start, end))) {
            return "its own text is " + quote(s.ownText()) + " but the text there is " + quote(text.substring(start, end));
        }
        return new Placed(s, start, end, first, last);
    }

    /** Where a span's edge at UTF-16 {@code at} falls, when it is not a word's edge: inside a word, or between words. */
    private static String where(String text, int at, List<WordCutter.Word> words, Offsets unit, boolean start) {
        for (WordCutter.Word w : words) {
            if (w.charStart() < at && at < w.charEnd()) return "inside the word " + word(text, w, unit);
        }
        // the character the span starts with or ends on, which lies in no word
        String what = start && at < text.length() ? " at " + describe(text.codePointAt(at))
                : !start && at > 0 ? " at " + describe(text.codePointBefore(at)) : "";
        if (start) {
            for (WordCutter.Word w : words) {
                if (w.charStart() > at) return "between words" + what + ", before the word " + word(text, w, unit);
            }
            return "after the last word" + what;
        }
        for (int i = words.size() - 1; i >= 0; i--) {
            WordCutter.Word w = words.get(i);
            if (w.charEnd() < at) return "between words" + what + ", after the word " + word(text, w, unit);
        }
        return "before the first word" + what;
    }

    /** A word as a message names it: {@code "Dean" (5–9)}, offsets in the file's unit. */
    private static String word(String text, WordCutter.Word w, Offsets unit) {
        return quote(text.substring(w.charStart(), w.charEnd())) + " (" + unit.of(text, w.charStart()) + "–"
                + unit.of(text, w.charEnd()) + ")";
    }

    /** Whether UTF-16 index {@code at} falls between the two halves of a surrogate pair. */
    private static boolean cutsAPair(String text, int at) {
        return at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
                && Character.isLowSurrogate(text.charAt(at));
    }

    private static String codePoint(String text, int at) {
        return String.format("U+%04X", text.codePointAt(at));
    }

    /** A character between words: {@code a space}, or its code point and name. */
    private static String describe(int c) {
        if (c == ' ') return "a space";
        String name = Character.getName(c);
        return String.format("U+%04X", c) + (name == null ? "" : " (" + name.toLowerCase(Locale.ROOT) + ")");
    }

    private static String unitName(Offsets unit) {
        return unit == Offsets.UTF_16 ? "UTF-16 code units" : "code points";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    private static JsonObject parseObject(TextFile text, String line) {
        JsonElement element;
        try {
            element = StrictJson.parse(line);
        } catch (xner.XnerInputException e) {
            throw text.error("bad JSON: " + e.getMessage());
        }
        if (!element.isJsonObject()) {
            throw text.error("expected a JSON object with \"text\" and its spans, found " + StrictJson.kind(element));
        }
        return element.getAsJsonObject();
    }

    private static String text(TextFile text, JsonObject record) {
        JsonElement value = record.get("text");
        if (!(value instanceof JsonPrimitive p) || !p.isString()) {
            throw text.error("field \"text\": expected a string, found " + (value == null ? "none" : StrictJson.kind(value)));
        }
        return p.getAsString();
    }

    /** Prodigy's decision on the record: accept (also when there is no {@code answer}), reject or ignore. */
    private static String answer(TextFile text, JsonObject record) {
        JsonElement value = record.get("answer");
        if (value == null) return "accept";
        if (value instanceof JsonPrimitive p && p.isString()
                && List.of("accept", "reject", "ignore").contains(p.getAsString())) {
            return p.getAsString();
        }
        throw text.error("field \"answer\": expected \"accept\", \"reject\" or \"ignore\" (Prodigy's answers), found " + value);
    }

    /** The record's spans, from the first of {@link #SPAN_FIELDS} it has. */
    private static List<Span> spans(TextFile text, JsonObject record) {
        String field = SPAN_FIELDS.stream().filter(record::has).findFirst().orElseThrow(() -> text.error(
                "no \"spans\" (Prodigy), \"label\" (doccano) or \"entities\" (xner tag) field: which entities does the "
                        + "text hold? (an empty list when none)"));
        JsonElement value = record.get(field);
        if (!value.isJsonArray()) {
            throw text.error("field \"" + field + "\": expected an array of spans, found " + StrictJson.kind(value));
        }
        JsonArray array = value.getAsJsonArray();
        List<Span> spans = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = field + "[" + i + "]";
            JsonElement e = array.get(i);
            spans.add(switch (field) {
                case "spans" -> objectSpan(text, at, e, "label", "text");
                case "entities" -> objectSpan(text, at, e, "entity_group", "word");
                default -> doccanoSpan(text, at, e);
            });
        }
        return spans;
    }

    /** A span written as an object: Prodigy's {@code {start, end, label[, text]}}, tag's {@code {start, end, entity_group[, word]}}. */
    private static Span objectSpan(TextFile text, String at, JsonElement e, String labelField, String textField) {
        if (!e.isJsonObject()) {
            throw text.error(at + ": expected an object {\"start\": ..., \"end\": ..., \"" + labelField + "\": ...}, found "
                    + StrictJson.kind(e));
        }
        JsonObject o = e.getAsJsonObject();
        int start = offset(text, at, o.get("start"), "start");
        int end = offset(text, at, o.get("end"), "end");
        JsonElement l = o.get(labelField);
        if (!(l instanceof JsonPrimitive lp) || !lp.isString()) {
            throw text.error(at + ": field \"" + labelField + "\": expected a string, found " + (l == null ? "none" : StrictJson.kind(l)));
        }
        JsonElement t = o.get(textField);
        if (t != null && !(t instanceof JsonPrimitive tp && tp.isString())) {
            throw text.error(at + ": field \"" + textField + "\": expected a string, found " + StrictJson.kind(t));
        }
        String label = label(text, at, lp.getAsString());
        String where = at + " {start " + start + ", end " + end + ", " + labelField + " " + quote(label) + "}";
        return new Span(where, start, end, label, t == null ? null : t.getAsString());
    }

    /** A span written as doccano writes it: {@code [start, end, "LABEL"]}. */
    private static Span doccanoSpan(TextFile text, String at, JsonElement e) {
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
            throw text.error(at + ": expected [start, end, \"LABEL\"] (doccano's spans), found " + e);
        }
        JsonArray a = e.getAsJsonArray();
        int start = offset(text, at, a.get(0), "start");
        int end = offset(text, at, a.get(1), "end");
        if (!(a.get(2) instanceof JsonPrimitive lp) || !lp.isString()) {
            throw text.error(at + ": the label (third item) is " + a.get(2) + ", expected a string");
        }
        String label = label(text, at, lp.getAsString());
        return new Span(at + " [" + start + ", " + end + ", " + quote(label) + "]", start, end, label, null);
    }

    private static int offset(TextFile text, String at, JsonElement value, String name) {
        if (value instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && d >= 0 && d <= Integer.MAX_VALUE) return (int) d;
        }
        throw text.error(at + ": " + name + " is " + (value == null ? "missing" : value.toString())
                + ", expected a character offset (a whole number, 0 or more)");
    }

    /** An entity type: not empty, not O, not a tag ({@code B-PER}: its type is {@code PER}). */
    private static String label(TextFile text, String at, String label) {
        if (label.isBlank()) throw text.error(at + ": an empty label");
        if (label.equals("O")) throw text.error(at + ": the label \"O\" is no entity type (leave the words out of every span)");
        if (label.length() > 2 && label.charAt(1) == '-' && "BIELS".indexOf(label.charAt(0)) >= 0) {
            throw text.error(at + ": the label " + quote(label) + " is a tag; a span's label is its entity type ("
                    + quote(label.substring(2)) + "), which becomes B- and I- tags");
        }
        return label;
    }
}
