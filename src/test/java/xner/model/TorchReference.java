package xner.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PyTorch computed for a fixture of {@code src/test/resources/xner/model/hub} ({@code reference.json}, written by
 * {@code make_fixtures.py}): the input, the logits, and the values of tensors stored in unusual layouts.
 *
 * @param inputIds (batch, seq), padded with 0
 * @param attentionMask (batch, seq)
 * @param logits (batch, seq, labels) flattened row-major
 */
record TorchReference(List<String> sentences, long[][] inputIds, long[][] attentionMask, float[] logits, int labels,
                      Map<String, float[]> tensors) {

    /** The folder of a fixture model, e.g. {@code tiny-bert}. */
    static Path folder(String name) {
        try {
            return Path.of(TorchReference.class.getResource("/xner/model/hub/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TorchReference of(String name) {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(folder(name).resolve("reference.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> sentences = o.getAsJsonArray("sentences").asList().stream().map(JsonElement::getAsString).toList();
        JsonArray logits = o.getAsJsonArray("logits");
        int labels = logits.get(0).getAsJsonArray().get(0).getAsJsonArray().size();
        float[] flat = floats(logits);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        o.getAsJsonObject("tensors").entrySet().forEach(e -> tensors.put(e.getKey(), floats(e.getValue())));
        return new TorchReference(sentences, longs(o.getAsJsonArray("input_ids")), longs(o.getAsJsonArray("attention_mask")),
                flat, labels, tensors);
    }

    /** The ids of all rows, row after row, as {@link LogitsModel#logits} takes them. */
    long[] flatIds() {
        return flatten(inputIds);
    }

    long[] flatMask() {
        return flatten(attentionMask);
    }

    private static long[] flatten(long[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
    }

    private static long[][] longs(JsonArray rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            out[i] = new long[row.size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = row.get(j).getAsLong();
        }
        return out;
    }

    private static float[] floats(JsonElement nested) {
        List<Float> values = new java.util.ArrayList<>();
        collect(nested, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    private static void collect(JsonElement e, List<Float> into) {
        if (e.isJsonArray()) e.getAsJsonArray().forEach(x -> collect(x, into));
        else into.add(e.getAsFloat());
    }
}
