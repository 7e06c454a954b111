package xner.data;

import com.google.gson.JsonElement;
import java.io.IOException;
import xner.XnerInputException;
import xner.io.StrictJson;

/**
 * JSON Lines as records, for {@link RecordReader#jsonl}: each non-blank line one JSON object with a
 * {@code text} string, strict JSON ({@link StrictJson}); its other fields travel with the text.
 */
final class JsonlRecordReader extends LineRecordReader {

    JsonlRecordReader(LineStream lines) {
        super(lines);
    }

    @Override
    public InputRecord next() throws IOException {
        while (lines.next()) {
            String line = lines.text();
            if (line == null) return new InputRecord.Malformed(lines.source(), lines.notText());
            if (line.isBlank()) continue;
            return record(line);
        }
        return null;
    }

    private InputRecord record(String line) {
        JsonElement parsed;
        try {
            parsed = StrictJson.parse(line);
        } catch (XnerInputException e) {
            return malformed("not JSON: " + e.getMessage());
        }
        if (!parsed.isJsonObject()) return malformed("expected a JSON object with a \"text\" string, found " + StrictJson.kind(parsed));
        JsonElement text = parsed.getAsJsonObject().get("text");
        if (text == null || !text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
            return malformed("field \"text\": expected a string, found " + (text == null ? "none" : StrictJson.kind(text)));
        }
        return new InputRecord.Text(lines.source(), text.getAsString(), parsed.getAsJsonObject());
    }

    private InputRecord malformed(String reason) {
        return new InputRecord.Malformed(lines.source(), reason);
    }
}
