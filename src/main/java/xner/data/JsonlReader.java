package xner.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xner.io.StrictJson;

/**
 * A reader of JSON Lines corpora as Hugging Face {@code datasets} writes them: one object per line,
 * {@code {"tokens": ["Jeff", "Dean"], "ner_tags": [1, 2]}}; {@code ner_tags} holds ids into the label set
 * (a {@code ClassLabel}) or tag names. Other fields (such as {@code langs}) are ignored.
 *
 * <p>Tolerated: blank lines (they hold no record). Refused, with file and line: text that is not strict JSON
 * ({@link StrictJson}: no single quotes, bare names, NaN, names twice, text after the value) or not one object, a missing or mistyped {@code tokens} / {@code ner_tags} field, a token that is not a
 * string or is empty, a tag id out of range or a tag name outside the label set, different numbers of
 * tokens and tags, a record without tokens, a file without records. Tag names are read as written (ids named
 * by a given label list), for {@link CorpusFiles} to convert, map and check against the label set.
 */
public final class JsonlReader {
    private JsonlReader() {}

    /**
     * The records of {@code file} with tag names as written. Integer tag ids are named by {@code idNames} (the
     * dataset's {@code ClassLabel} names in id order); without it an id is refused, saying to give the names.
     */
    public static List<RawSentence> readRaw(Path file, Charset charset, LabelSet idNames) {
        TextFile text = TextFile.read(file, charset);
        List<RawSentence> sentences = new ArrayList<>();
        for (String line; (line = text.nextLine()) != null; ) {
            if (line.isBlank()) continue;
            JsonObject record = parseObject(text, line);
            List<String> tokens = tokens(text, record);
            List<String> tags = tags(text, record, idNames);
            if (tokens.size() != tags.size()) {
                throw text.error(tokens.size() + " tokens but " + tags.size() + " ner_tags");
            }
            if (tokens.isEmpty()) throw text.error("a record without tokens");
            sentences.add(new RawSentence(tokens, tags, java.util.Collections.nCopies(tokens.size(), text.source())));
        }
        if (sentences.isEmpty()) throw CorpusErrors.noSentences(text);
        return sentences;
    }

    private static JsonObject parseObject(TextFile text, String line) {
        JsonElement element;
        try {
            element = StrictJson.parse(line);
        } catch (xner.XnerInputException e) {
            throw text.error("bad JSON: " + e.getMessage());
        }
        if (!element.isJsonObject()) {
            throw text.error("expected a JSON object {\"tokens\": [...], \"ner_tags\": [...]}, found "
                    + TextFile.quote(line));
        }
        return element.getAsJsonObject();
    }

    private static List<String> tokens(TextFile text, JsonObject record) {
        JsonArray array = array(text, record, "tokens");
        List<String> tokens = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement token = array.get(i);
            if (!(token instanceof JsonPrimitive p) || !p.isString()) {
                throw text.error("tokens[" + i + "] is " + token + ", expected a string");
            }
            if (p.getAsString().isEmpty()) throw text.error("tokens[" + i + "] is empty"); // a word no tokenizer can label
            tokens.add(p.getAsString());
        }
        return tokens;
    }

    private static List<String> tags(TextFile text, JsonObject record, LabelSet labels) {
        JsonArray array = array(text, record, "ner_tags");
        List<String> tags = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement tag = array.get(i);
            if (tag instanceof JsonPrimitive p && p.isString()) {
                if (p.getAsString().isEmpty()) throw text.error("ner_tags[" + i + "] is empty");
                tags.add(p.getAsString());
            } else if (tag instanceof JsonPrimitive p && p.isNumber() && isInt(p)) {
                int id = (int) p.getAsDouble(); // whole and in range (isInt); Gson's getAsInt throws on 1e-99999
                if (labels == null) {
                    throw text.error("ner_tags[" + i + "] is the tag id " + id + ": give the label names in id order "
                            + "with --labels (the dataset's ClassLabel names), or write tag names");
                }
                if (id < 0 || id >= labels.size()) {
                    throw text.error("ner_tags[" + i + "]: tag id " + id + " out of range 0.." + (labels.size() - 1)
                            + " (" + String.join(", ", labels.names()) + ")");
                }
                tags.add(labels.name(id));
            } else {
                throw text.error("ner_tags[" + i + "] is " + tag + ", expected a tag id or a tag name");
            }
        }
        return tags;
    }

    private static boolean isInt(JsonPrimitive p) {
        double value = p.getAsDouble();
        return value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE;
    }

    private static JsonArray array(TextFile text, JsonObject record, String field) {
        JsonElement value = record.get(field);
        if (value == null) throw text.error("no \"" + field + "\" field");
        if (!value.isJsonArray()) throw text.error("\"" + field + "\" is " + value + ", expected an array");
        return value.getAsJsonArray();
    }
}
