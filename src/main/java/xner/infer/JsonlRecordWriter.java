package xner.infer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import xner.data.InputRecord;
import xner.io.JsonOutput;

/**
 * JSON Lines out: one object per record, its input fields (or its {@code text}, or its {@code tokens} and the
 * text they make, or a document's {@code source}, {@code content_type} and {@code text}) followed by
 * {@code entities}, the pipeline's JSON (for a PDF with the {@code page} each entity starts on). {@link #toJson} and {@link #line} give that
 * shape to others that write records ({@code select}).
 */
public final class JsonlRecordWriter implements RecordWriter {
    private final Writer out;
    private final Aggregation aggregation;

    private final double minScore;
    private final boolean withText;

    JsonlRecordWriter(Writer out, Aggregation aggregation, double minScore, boolean withText) {
        this.minScore = minScore;
        this.withText = withText;
        this.out = out;
        this.aggregation = aggregation;
    }

    @Override
    public void write(InputRecord record, Tagged tagged) throws IOException {
        JsonObject o = toJson(record, tagged, aggregation, minScore);
        if (!withText) o.remove("text");
        out.write(line(o));
        out.write('\n');
    }

    /** {@code record} as {@code tag}'s JSON Lines output writes it, with the entities of {@code tagged}. */
    public static JsonObject toJson(InputRecord record, Tagged tagged, Aggregation aggregation) {
        return toJson(record, tagged, aggregation, 0);
    }

    /** As {@link #toJson(InputRecord, Tagged, Aggregation)}, leaving out entities scored below {@code minScore}. */
    public static JsonObject toJson(InputRecord record, Tagged tagged, Aggregation aggregation, double minScore) {
        JsonObject o = new JsonObject();
        if (record instanceof InputRecord.Text t && t.fields() != null) {
            for (Map.Entry<String, JsonElement> e : t.fields().entrySet()) o.add(e.getKey(), e.getValue());
        } else if (record instanceof InputRecord.Text t) {
            o.addProperty("text", t.text());
        } else if (record instanceof InputRecord.Words w) {
            JsonArray tokens = new JsonArray();
            w.words().forEach(tokens::add);
            o.add("tokens", tokens);
            o.addProperty("text", tagged.text());
        } else if (record instanceof InputRecord.Document d) {
            o.addProperty("source", d.source().file().toString());
            o.addProperty("content_type", d.contentType());
            o.addProperty("text", d.text());
        } else {
            throw new IllegalArgumentException("a malformed record is not written: " + record);
        }
        JsonArray entities = new JsonArray();
        for (Prediction p : tagged.predict(aggregation, Aggregation.IGNORED_BY_DEFAULT, minScore)) {
            JsonObject entity = p.toJson();
            // a PDF's entities say on which page they start, 1-based
            if (record instanceof InputRecord.Document d && !d.pageStarts().isEmpty()) entity.addProperty("page", d.page(p.start()));
            entities.add(entity);
        }
        o.add("entities", entities);
        return o;
    }

    /** One JSON Lines line of {@code o}, without its line ending; what UTF-8 cannot hold is escaped. */
    public static String line(JsonObject o) {
        return escapeLoneSurrogates(JsonOutput.LINE.toJson(o));
    }

    /**
     * {@code json} with every lone surrogate written as its escape ({@code \ud800}): legal JSON, as a request or a
     * JSON input line may hold it, that UTF-8 cannot encode as a character. Inside JSON text a surrogate can only
     * stand in a string, where the escape means the same.
     */
    static String escapeLoneSurrogates(String json) {
        StringBuilder b = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean lone = Character.isSurrogate(c) && !pairedAt(json, i);
            if (lone && b == null) b = new StringBuilder(json.length() + 8).append(json, 0, i);
            if (b != null) {
                if (lone) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            if (!lone && Character.isHighSurrogate(c)) { // the pair's low half follows: copy it with its high half
                i++;
                if (b != null) b.append(json.charAt(i));
            }
        }
        return b == null ? json : b.toString();
    }

    /** Whether the surrogate at {@code i} is half of a pair (a high one before a low one). */
    static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
