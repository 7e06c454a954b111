package xner.infer;

import com.google.gson.JsonObject;

/**
 * One item of the pipeline's answer for a text: a token ({@link TokenPrediction}, aggregation {@code none}) or
 * an entity ({@link EntityGroup}). Offsets are UTF-16 indices into the text, end exclusive, and {@code word}
 * is exactly {@code text.substring(start, end)}.
 */
public sealed interface Prediction permits TokenPrediction, EntityGroup {
    /** The label: a tag such as {@code B-PER} for a token, an entity type such as {@code PER} for a group. */
    String label();

    /** A softmax probability, or the mean of the grouped ones. */
    double score();

    String word();

    int start();

    int end();

    /** The object the Hugging Face pipeline and Inference API return, with their field names and order. */
    JsonObject toJson();
}
