package xner.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xner.XnerInputException;
import xner.io.JsonOutput;
import xner.io.StrictJson;

/**
 * Hugging Face's tokenizer file formats ({@code tokenizer.json}, {@code tokenizer_config.json},
 * {@code special_tokens_map.json}): reading fields with errors that name the file and the field, and building
 * the pieces of a {@code tokenizer.json} the two tokenizers share (added tokens, a template post-processor).
 */
final class TokenizerJson {

    private TokenizerJson() {}

    static JsonObject parse(String text, Path file) {
        return StrictJson.parseObject(text, file.toString());
    }

    /**
     * A {@code tokenizer.json}, which the Rust tokenizers library reads next, checked so that the library can only return
     * an error, never panic: a panic under the JNI call aborts the whole JVM. Found fuzzing: lenient JSON that Gson
     * accepted ({@code tru}) inside {@code decoder} made the library's {@code expect("Helper")} panic
     * ({@code decoders/mod.rs:90}). So the text must be strict JSON ({@link StrictJson}), its numbers finite as doubles
     * (serde_json fails on {@code 1e400}), its strings whole Unicode (it fails on a lone surrogate escape), and every
     * {@code Precompiled} normalizer's character map one the library can run ({@link PrecompiledCharsmap}).
     *
     * @throws XnerInputException naming the file, and the field or column
     */
    static JsonObject parseForNative(String text, Path file) {
        JsonElement root;
        try {
            root = StrictJson.parse(text);
        } catch (XnerInputException e) {
            throw new XnerInputException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) throw new XnerInputException(file + ": expected a JSON object");
        checkForNative(root, "", file);
        return root.getAsJsonObject();
    }

    private static void checkForNative(JsonElement e, String path, Path file) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                String field = path.isEmpty() ? m.getKey() : path + "." + m.getKey();
                wholeUnicode(m.getKey(), field, file);
                checkForNative(m.getValue(), field, file);
            }
            JsonElement type = e.getAsJsonObject().get("type");
            // by its shape, not its type: the library reads an object without "type" by its fields (found fuzzing: "ty1pe")
            if (e.getAsJsonObject().has("single") || e.getAsJsonObject().has("pair")) checkTemplate(e.getAsJsonObject(), path, file);
            // the library reads a "Precompiled" normalizer with expect("Precompiled"): a map it cannot decode or parse,
            // or none, panics (normalizers/mod.rs:143; found fuzzing), so it must be one it reads
            JsonElement charsmap = e.getAsJsonObject().get("precompiled_charsmap");
            if (type != null && type.isJsonPrimitive() && type.getAsString().equals("Precompiled")) {
                String field = path + ".precompiled_charsmap";
                if (charsmap == null || !charsmap.isJsonPrimitive() || !charsmap.getAsJsonPrimitive().isString()) {
                    throw bad(file, field, "a base64 string, found " + charsmap);
                }
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(charsmap.getAsString());
                } catch (IllegalArgumentException notBase64) {
                    throw bad(file, field, "base64 (" + notBase64.getMessage() + ")");
                }
                if (!Base64.getEncoder().encodeToString(bytes).equals(charsmap.getAsString())) { // the library's decoder is strict
                    throw bad(file, field, "base64 with its padding and no stray bits");
                }
                PrecompiledCharsmap.check(bytes, file + ": field " + field);
            }
        } else if (e.isJsonArray()) {
            for (int i = 0; i < e.getAsJsonArray().size(); i++) checkForNative(e.getAsJsonArray().get(i), path + "[" + i + "]", file);
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            wholeUnicode(e.getAsString(), path, file);
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && !Double.isFinite(Double.parseDouble(e.getAsString()))) {
            throw bad(file, path, "a number within a double's range, found " + e.getAsString());
        }
    }

    /**
     * A {@code TemplateProcessing} post-processor as the library applies it without checking (found fuzzing: a template's
     * {@code [CLS}} missing from {@code special_tokens} panicked in {@code template.rs:563}, "no entry found for key"):
     * every special token a template names is in {@code special_tokens}, the single template uses sequence A only, and
     * each special token has as many {@code ids} as {@code tokens}. Any object with a {@code single} or {@code pair}
     * template is checked, whatever its {@code type} says.
     */
    private static void checkTemplate(JsonObject processor, String path, Path file) {
        JsonElement specials = processor.get("special_tokens");
        java.util.Set<String> names = specials != null && specials.isJsonObject() ? specials.getAsJsonObject().keySet() : java.util.Set.of();
        for (String template : List.of("single", "pair")) {
            JsonElement pieces = processor.get(template);
            if (pieces == null || !pieces.isJsonArray()) continue; // the library says what it expected
            for (int i = 0; i < pieces.getAsJsonArray().size(); i++) {
                JsonElement piece = pieces.getAsJsonArray().get(i);
                if (!piece.isJsonObject()) continue;
                String field = path + "." + template + "[" + i + "]";
                JsonElement special = piece.getAsJsonObject().get("SpecialToken");
                if (special != null && special.isJsonObject() && special.getAsJsonObject().get("id") instanceof JsonPrimitive id
                        && !names.contains(id.getAsString())) {
                    throw bad(file, field + ".SpecialToken.id", "one of special_tokens " + names + ", found " + id);
                }
                JsonElement sequence = piece.getAsJsonObject().get("Sequence");
                if (template.equals("single") && sequence != null && sequence.isJsonObject()
                        && sequence.getAsJsonObject().get("id") instanceof JsonPrimitive id && !id.getAsString().equals("A")) {
                    throw bad(file, field + ".Sequence.id", "A (a single sequence has no other), found " + id);
                }
            }
        }
        for (String name : names) {
            JsonElement token = specials.getAsJsonObject().get(name);
            if (!token.isJsonObject()) continue;
            JsonElement ids = token.getAsJsonObject().get("ids");
            JsonElement tokens = token.getAsJsonObject().get("tokens");
            if (ids != null && ids.isJsonArray() && tokens != null && tokens.isJsonArray() && ids.getAsJsonArray().size() != tokens.getAsJsonArray().size()) {
                throw bad(file, path + ".special_tokens[\"" + name + "\"]", "as many ids as tokens, found " + ids + " and " + tokens);
            }
        }
    }

    /**
     * The ids a post-processor adds ({@code TemplateProcessing}'s special tokens, {@code BertProcessing}'s and
     * {@code RobertaProcessing}'s {@code cls}/{@code sep}), each a row of a vocabulary of {@code vocabSize} ids: an id past
     * it would index past the model's embedding.
     */
    static void checkPostProcessorIds(JsonObject tokenizerJson, int vocabSize, Path file) {
        checkPostProcessorIds(tokenizerJson.get("post_processor"), "post_processor", vocabSize, file);
    }

    private static void checkPostProcessorIds(JsonElement processor, String path, int vocabSize, Path file) {
        if (processor == null || !processor.isJsonObject()) return;
        JsonObject p = processor.getAsJsonObject();
        JsonElement processors = p.get("processors"); // a Sequence of post-processors
        if (processors != null && processors.isJsonArray()) {
            for (int i = 0; i < processors.getAsJsonArray().size(); i++) {
                checkPostProcessorIds(processors.getAsJsonArray().get(i), path + ".processors[" + i + "]", vocabSize, file);
            }
        }
        JsonElement specials = p.get("special_tokens");
        if (specials != null && specials.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : specials.getAsJsonObject().entrySet()) {
                JsonElement ids = e.getValue().isJsonObject() ? e.getValue().getAsJsonObject().get("ids") : null;
                if (ids == null || !ids.isJsonArray()) continue;
                for (int i = 0; i < ids.getAsJsonArray().size(); i++) {
                    inVocabulary(ids.getAsJsonArray().get(i), path + ".special_tokens[\"" + e.getKey() + "\"].ids[" + i + "]", vocabSize, file);
                }
            }
        }
        for (String key : List.of("cls", "sep")) { // BertProcessing, RobertaProcessing: [token, id]
            JsonElement pair = p.get(key);
            if (pair != null && pair.isJsonArray() && pair.getAsJsonArray().size() == 2) {
                inVocabulary(pair.getAsJsonArray().get(1), path + "." + key + "[1]", vocabSize, file);
            }
        }
    }

    private static void inVocabulary(JsonElement id, String field, int vocabSize, Path file) {
        if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()) {
            double v = id.getAsDouble();
            if (v >= 0 && v < vocabSize && v == Math.rint(v)) return;
        }
        throw bad(file, field, "an id of the vocabulary (0.." + (vocabSize - 1) + "), found " + id);
    }

    private static void wholeUnicode(String s, String field, Path file) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw bad(file, field, "text without lone surrogates, found U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                        + " alone at character " + i);
            }
        }
    }

    static String compact(JsonElement json) {
        return JsonOutput.LINE.toJson(json);
    }

    static String pretty(JsonElement json) {
        return JsonOutput.PRETTY.toJson(json);
    }

    static XnerInputException bad(Path file, String field, String expected) {
        return new XnerInputException(file + ": field " + field + ": expected " + expected);
    }

    static JsonObject object(JsonObject parent, String key, Path file) {
        JsonElement e = parent.get(key);
        if (e == null || !e.isJsonObject()) throw bad(file, key, "an object");
        return e.getAsJsonObject();
    }

    static String string(JsonObject parent, String key, String field, Path file) {
        JsonElement e = parent.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw bad(file, field, "a string");
        return e.getAsString();
    }

    static int nonNegativeInt(JsonElement e, String field, Path file) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw bad(file, field, "a number");
        double v = e.getAsDouble();
        if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) throw bad(file, field, "an id >= 0, found " + e);
        return (int) v;
    }

    /**
     * A special token as {@code tokenizer_config.json} and {@code special_tokens_map.json} write it: a string,
     * or an object with {@code content} (an {@code AddedToken}); null when absent.
     */
    static String tokenString(JsonObject parent, String key, Path file) {
        JsonElement e = parent.get(key);
        if (e == null || e.isJsonNull()) return null;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) return e.getAsString();
        if (e.isJsonObject()) return string(e.getAsJsonObject(), "content", key + ".content", file);
        throw bad(file, key, "a token string or {\"content\": ...}");
    }

    /** An entry of {@code added_tokens}: a special token the tokenizer matches in raw text before normalizing. */
    static JsonObject addedToken(int id, String content, boolean lstrip) {
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("content", content);
        t.addProperty("single_word", false);
        t.addProperty("lstrip", lstrip);
        t.addProperty("rstrip", false);
        t.addProperty("normalized", false);
        t.addProperty("special", true);
        return t;
    }

    /**
     * A {@code TemplateProcessing} post-processor: {@code single} and {@code pair} are templates such as
     * {@code [CLS] $A [SEP]} ($A, $B the sequences; the pair's second-sequence parts get type id
     * {@code pairTypeId}); {@code specials} are (token, id) pairs.
     */
    static JsonObject template(String single, String pair, int pairTypeId, List<String> specialTokens, List<Integer> specialIds) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "TemplateProcessing");
        p.add("single", templatePieces(single, 0));
        p.add("pair", templatePieces(pair, pairTypeId));
        JsonObject specials = new JsonObject();
        for (int i = 0; i < specialTokens.size(); i++) {
            JsonObject s = new JsonObject();
            s.addProperty("id", specialTokens.get(i));
            JsonArray ids = new JsonArray();
            ids.add(specialIds.get(i));
            s.add("ids", ids);
            JsonArray tokens = new JsonArray();
            tokens.add(specialTokens.get(i));
            s.add("tokens", tokens);
            specials.add(specialTokens.get(i), s);
        }
        p.add("special_tokens", specials);
        return p;
    }

    private static JsonArray templatePieces(String template, int secondTypeId) {
        JsonArray pieces = new JsonArray();
        int typeId = 0;
        for (String part : template.trim().split(" +")) {
            JsonObject piece = new JsonObject();
            JsonObject body = new JsonObject();
            if (part.equals("$A") || part.equals("$B")) {
                if (part.equals("$B")) typeId = secondTypeId; // everything from $B on belongs to the second sequence
                body.addProperty("id", part.substring(1));
                body.addProperty("type_id", typeId);
                piece.add("Sequence", body);
            } else {
                body.addProperty("id", part);
                body.addProperty("type_id", typeId);
                piece.add("SpecialToken", body);
            }
            pieces.add(piece);
        }
        return pieces;
    }
}
