package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xner.XnerInputException;
import xner.data.Offsets;
import xner.infer.Aggregation;
import xner.io.StrictJson;
import xner.io.StrictText;

/**
 * A token-classification request as the Hugging Face Inference API takes it:
 * {@code {"inputs": "text" | ["text", ...], "parameters": {"aggregation_strategy": "simple", "ignore_labels": ["O"]}}}
 * ({@code options}, the API's caching hints, is accepted and ignored), and one parameter of this service's own,
 * {@code "offsets": "utf-16" | "code-points"}: what {@code start} and {@code end} count, and {@code "min_score": P}: leave
 * out entities scored below P.
 *
 * @param inputs       the texts
 * @param batch        whether {@code inputs} was a list (answered by a list of lists) rather than one string
 * @param aggregation  the strategy asked for, or the service's default
 * @param ignoreLabels labels left out of the answer ({@code O} by default)
 * @param offsets      what the answer's {@code start} and {@code end} count, or the service's default
 * @param minScore     entities scored below it are left out, or the service's default
 */
record PredictRequest(List<String> inputs, boolean batch, Aggregation aggregation, Set<String> ignoreLabels, Offsets offsets,
        double minScore) {
    private static final Set<String> FIELDS = Set.of("inputs", "parameters", "options");
    private static final Set<String> PARAMETERS = Set.of("aggregation_strategy", "ignore_labels", "offsets", "min_score");

    PredictRequest {
        inputs = List.copyOf(inputs);
        ignoreLabels = Set.copyOf(ignoreLabels);
    }

    /**
     * Reads a request body: 400 when it is not a JSON object, 422 when a field is missing or of the wrong kind,
     * 413 when there are too many texts or one is too long.
     */
    static PredictRequest parse(byte[] body, Settings settings) {
        JsonObject object = jsonObject(body);
        for (String key : object.keySet()) {
            if (!FIELDS.contains(key)) throw HttpError.invalid("unknown field \"" + key + "\" (expected inputs, parameters)");
        }
        JsonElement in = object.get("inputs");
        if (in == null) throw HttpError.invalid("field \"inputs\" is missing: a text or a list of texts");
        boolean batch = in.isJsonArray();
        List<String> inputs = texts(in, settings);
        JsonElement p = object.get("parameters");
        if (p == null || p.isJsonNull()) {
            return new PredictRequest(inputs, batch, settings.aggregation(), Aggregation.IGNORED_BY_DEFAULT, settings.offsets(),
                    settings.minScore());
        }
        if (!p.isJsonObject()) throw HttpError.invalid("field \"parameters\": expected an object, found " + StrictJson.kind(p));
        JsonObject parameters = p.getAsJsonObject();
        for (String key : parameters.keySet()) {
            if (!PARAMETERS.contains(key)) {
                throw HttpError.invalid("unknown parameter \"" + key + "\" (expected aggregation_strategy, ignore_labels, offsets, "
                        + "min_score)");
            }
        }
        return new PredictRequest(inputs, batch, aggregation(parameters, settings), ignoreLabels(parameters),
                offsets(parameters, settings), minScore(parameters, settings));
    }

    /** The body as a JSON object: UTF-8, strict JSON (the one reader JSON Lines files have too), an object. */
    private static JsonObject jsonObject(byte[] body) {
        String text;
        try {
            text = StrictText.utf8(body);
        } catch (StrictText.NotText e) {
            throw HttpError.malformed("the request body is not UTF-8: a malformed byte sequence at byte " + e.offset());
        }
        if (text.isBlank()) throw HttpError.malformed("the request body is not JSON: it is " + (text.isEmpty() ? "empty" : "only whitespace"));
        JsonElement root;
        try {
            root = StrictJson.parse(text);
        } catch (XnerInputException e) {
            throw HttpError.malformed("the request body is not JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw HttpError.malformed("expected a JSON object {\"inputs\": ..., \"parameters\": {...}}, found " + StrictJson.kind(root));
        }
        return root.getAsJsonObject();
    }

    /** {@code inputs}: one text or a list of them, each within the service's limits. */
    private static List<String> texts(JsonElement in, Settings settings) {
        List<String> inputs = new ArrayList<>();
        boolean batch = in.isJsonArray();
        if (batch) {
            JsonArray array = in.getAsJsonArray();
            if (array.isEmpty()) throw HttpError.invalid("field \"inputs\": an empty list; give at least one text");
            if (array.size() > settings.maxInputs()) {
                throw HttpError.tooLarge("field \"inputs\": " + array.size() + " texts, over the limit of " + settings.maxInputs());
            }
            for (int i = 0; i < array.size(); i++) inputs.add(string(array.get(i), "inputs[" + i + "]"));
        } else {
            inputs.add(string(in, "inputs"));
        }
        for (int i = 0; i < inputs.size(); i++) {
            int length = inputs.get(i).length();
            if (length > settings.maxTextChars()) {
                throw HttpError.tooLarge("field \"" + (batch ? "inputs[" + i + "]" : "inputs") + "\": " + length
                        + " characters, over the limit of " + settings.maxTextChars());
            }
        }
        return inputs;
    }

    private static Aggregation aggregation(JsonObject parameters, Settings settings) {
        JsonElement strategy = parameters.get("aggregation_strategy");
        if (strategy == null || strategy.isJsonNull()) return settings.aggregation();
        try {
            return Aggregation.parse(string(strategy, "parameters.aggregation_strategy"), "parameters.aggregation_strategy");
        } catch (XnerInputException e) {
            throw HttpError.invalid(e.getMessage());
        }
    }

    private static Set<String> ignoreLabels(JsonObject parameters) {
        JsonElement labels = parameters.get("ignore_labels");
        if (labels == null || labels.isJsonNull()) return Aggregation.IGNORED_BY_DEFAULT;
        if (!labels.isJsonArray()) {
            throw HttpError.invalid("field \"parameters.ignore_labels\": expected a list of labels, found " + StrictJson.kind(labels));
        }
        Set<String> set = new LinkedHashSet<>();
        for (int i = 0; i < labels.getAsJsonArray().size(); i++) {
            set.add(string(labels.getAsJsonArray().get(i), "parameters.ignore_labels[" + i + "]"));
        }
        return set;
    }

    private static Offsets offsets(JsonObject parameters, Settings settings) {
        JsonElement counted = parameters.get("offsets");
        if (counted == null || counted.isJsonNull()) return settings.offsets();
        try {
            return Offsets.parse(string(counted, "parameters.offsets"), "parameters.offsets");
        } catch (XnerInputException e) {
            throw HttpError.invalid(e.getMessage());
        }
    }

    private static double minScore(JsonObject parameters, Settings settings) {
        JsonElement p = parameters.get("min_score");
        if (p == null || p.isJsonNull()) return settings.minScore();
        if (!p.isJsonPrimitive() || !p.getAsJsonPrimitive().isNumber()) {
            throw HttpError.invalid("field \"parameters.min_score\": expected a number from 0 to 1, found " + StrictJson.kind(p));
        }
        double v = p.getAsDouble();
        if (!(v >= 0 && v <= 1)) throw HttpError.invalid("field \"parameters.min_score\": " + p + " is not from 0 to 1");
        return v;
    }

    private static String string(JsonElement e, String field) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw HttpError.invalid("field \"" + field + "\": expected a string, found " + (e == null ? "nothing" : StrictJson.kind(e)));
        }
        return e.getAsString();
    }
}
