package xner.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xner.XnerInputException;
import xner.data.StrictJson;
import xner.data.StrictText;
import xner.infer.Aggregation;

/**
 * A token-classification request as the Hugging Face Inference API takes it:
 * {@code {"inputs": "text" | ["text", ...], "parameters": {"aggregation_strategy": "simple", "ignore_labels": ["O"]}}}
 * ({@code options}, the API's caching hints, is accepted and ignored), and one parameter of this service's own,
 * {@code "offsets": "utf-16" | "code-points"}: what {@code start} and {@code end} count.
 *
 * @param inputs       the texts
 * @param batch        whether {@code inputs} was a list (answered by a list of lists) rather than one string
 * @param aggregation  the strategy asked for, or the service's default
 * @param ignoreLabels labels left out of the answer ({@code O} by default)
 * @param offsets      what the answer's {@code start} and {@code end} count, or the service's default
 */
record PredictRequest(List<String> inputs, boolean batch, Aggregation aggregation, Set<String> ignoreLabels, Offsets offsets) {
    private static final Set<String> FIELDS = Set.of("inputs", "parameters", "options");
    private static final Set<String> PARAMETERS = Set.of("aggregation_strategy", "ignore_labels", "offsets");

    PredictRequest {
        inputs = List.copyOf(inputs);
        ignoreLabels = Set.copyOf(ignoreLabels);
    }

    /**
     * Reads a request body: 400 when it is not a JSON object, 422 when a field is missing or of the wrong kind,
     * 413 when there are too many texts or one is too long.
     */
    static PredictRequest parse(byte[] body, Settings settings) {
        String text;
        try {
            text = StrictText.utf8(body);
        } catch (StrictText.NotText e) {
            throw HttpError.malformed("the request body is not UTF-8: a malformed byte sequence at byte " + e.offset());
        }
        if (text.isBlank()) throw HttpError.malformed("the request body is not JSON: it is " + (text.isEmpty() ? "empty" : "only whitespace"));
        JsonElement root;
        try {
            root = StrictJson.parse(text); // the one strict reader, as for JSON Lines files: 400 naming what and where
        } catch (XnerInputException e) {
            throw HttpError.malformed("the request body is not JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw HttpError.malformed("expected a JSON object {\"inputs\": ..., \"parameters\": {...}}, found " + StrictJson.kind(root));
        }
        JsonObject object = root.getAsJsonObject();
        for (String key : object.keySet()) {
            if (!FIELDS.contains(key)) throw HttpError.invalid("unknown field \"" + key + "\" (expected inputs, parameters)");
        }
        JsonElement in = object.get("inputs");
        if (in == null) throw HttpError.invalid("field \"inputs\" is missing: a text or a list of texts");
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
        Aggregation aggregation = settings.aggregation();
        Set<String> ignore = Aggregation.IGNORED_BY_DEFAULT;
        Offsets offsets = settings.offsets();
        JsonElement p = object.get("parameters");
        if (p != null && !p.isJsonNull()) {
            if (!p.isJsonObject()) throw HttpError.invalid("field \"parameters\": expected an object, found " + StrictJson.kind(p));
            for (Map.Entry<String, JsonElement> e : p.getAsJsonObject().entrySet()) {
                if (!PARAMETERS.contains(e.getKey())) {
                    throw HttpError.invalid("unknown parameter \"" + e.getKey() + "\" (expected aggregation_strategy, ignore_labels, offsets)");
                }
            }
            JsonElement strategy = p.getAsJsonObject().get("aggregation_strategy");
            if (strategy != null && !strategy.isJsonNull()) {
                try {
                    aggregation = Aggregation.parse(string(strategy, "parameters.aggregation_strategy"), "parameters.aggregation_strategy");
                } catch (XnerInputException e) {
                    throw HttpError.invalid(e.getMessage());
                }
            }
            JsonElement labels = p.getAsJsonObject().get("ignore_labels");
            if (labels != null && !labels.isJsonNull()) {
                if (!labels.isJsonArray()) {
                    throw HttpError.invalid("field \"parameters.ignore_labels\": expected a list of labels, found " + StrictJson.kind(labels));
                }
                Set<String> set = new LinkedHashSet<>();
                for (int i = 0; i < labels.getAsJsonArray().size(); i++) {
                    set.add(string(labels.getAsJsonArray().get(i), "parameters.ignore_labels[" + i + "]"));
                }
                ignore = set;
            }
            JsonElement counted = p.getAsJsonObject().get("offsets");
            if (counted != null && !counted.isJsonNull()) {
                try {
                    offsets = Offsets.parse(string(counted, "parameters.offsets"), "parameters.offsets");
                } catch (XnerInputException e) {
                    throw HttpError.invalid(e.getMessage());
                }
            }
        }
        return new PredictRequest(inputs, batch, aggregation, ignore, offsets);
    }

    private static String string(JsonElement e, String field) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw HttpError.invalid("field \"" + field + "\": expected a string, found " + (e == null ? "nothing" : StrictJson.kind(e)));
        }
        return e.getAsString();
    }
}
