package xner.infer;

import com.google.gson.JsonObject;

/**
 * The prediction for one token, as transformers' pipeline returns it with {@code aggregation_strategy="none"}.
 *
 * @param entity the most probable tag ({@code B-PER})
 * @param score  its softmax probability
 * @param index  the token's position in the encoding, the leading special token counted (the first real
 *               token of a BERT encoding is 1)
 * @param word   the token's characters, {@code text.substring(start, end)} (transformers shows the token
 *               string, {@code ##soft}; this is the slice {@code soft})
 * @param start  UTF-16 index of the first character
 * @param end    UTF-16 index after the last character
 */
public record TokenPrediction(String entity, double score, int index, String word, int start, int end) implements Prediction {
    public TokenPrediction {
        if (entity == null || word == null) throw new IllegalArgumentException("entity and word must not be null");
        if (index < 0) throw new IllegalArgumentException("negative token index " + index);
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }

    @Override
    public String label() {
        return entity;
    }

    @Override
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("entity", entity);
        o.addProperty("score", score);
        o.addProperty("index", index);
        o.addProperty("word", word);
        o.addProperty("start", start);
        o.addProperty("end", end);
        return o;
    }
}
