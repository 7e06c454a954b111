package xner.infer;

import com.google.gson.JsonObject;

/**
 * An entity: consecutive tokens or words of one type grouped, as transformers' pipeline returns it with an
 * aggregation strategy other than {@code none}.
 *
 * @param entityGroup the entity type ({@code PER}; {@code entity_group} in JSON)
 * @param score       the mean score of the grouped tokens (or words)
 * @param word        {@code text.substring(start, end)}: the entity as written, spaces and accents included
 * @param start       UTF-16 index of the first character
 * @param end         UTF-16 index after the last character
 */
public record EntityGroup(String entityGroup, double score, String word, int start, int end) implements Prediction {
    public EntityGroup {
        if (entityGroup == null || word == null) throw new IllegalArgumentException("entityGroup and word must not be null");
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }

    @Override
    public String label() {
        return entityGroup;
    }

    @Override
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("entity_group", entityGroup);
        o.addProperty("score", score);
        o.addProperty("word", word);
        o.addProperty("start", start);
        o.addProperty("end", end);
        return o;
    }
}
