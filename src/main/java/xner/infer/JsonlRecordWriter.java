package xner.infer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import xner.data.InputRecord;

/**
 * JSON Lines out: one object per record, its input fields (or its {@code text}, or its {@code tokens} and the
 * text they make) followed by {@code entities}, the pipeline's JSON.
 */
final class JsonlRecordWriter implements RecordWriter {
    private final Writer out;
    private final Aggregation aggregation;

    JsonlRecordWriter(Writer out, Aggregation aggregation) {
        this.out = out;
        this.aggregation = aggregation;
    }

    @Override
    public void write(InputRecord record, Tagged tagged) throws IOException {
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
        } else {
            throw new IllegalArgumentException("a malformed record is not written: " + record);
        }
        JsonArray entities = new JsonArray();
        for (Prediction p : tagged.predict(aggregation)) entities.add(p.toJson());
        o.add("entities", entities);
        out.write(o.toString());
        out.write('\n');
    }
}
