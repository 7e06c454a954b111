package xner.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token ↔ id table of a {@code tokenizer.json}: the model's vocabulary plus the added tokens. The native
 * tokenizer does the encoding; this answers {@code tokenToId}/{@code idToToken} without a native call.
 */
final class Vocabulary {
    private final String[] tokens; // id -> token; null where a tokenizer.json leaves an id unused
    private final Map<String, Integer> ids;

    private Vocabulary(String[] tokens, Map<String, Integer> ids) {
        this.tokens = tokens;
        this.ids = ids;
    }

    /** The vocabulary of a parsed {@code tokenizer.json} ({@code model.vocab} and {@code added_tokens}). */
    static Vocabulary of(JsonObject tokenizerJson, Path file) {
        JsonObject model = TokenizerJson.object(tokenizerJson, "model", file);
        String type = TokenizerJson.string(model, "type", "model.type", file);
        Map<String, Integer> ids = new HashMap<>();
        JsonElement vocab = model.get("vocab");
        if ("Unigram".equals(type)) {
            // Unigram: a list of [piece, score]; the id is the position
            if (vocab == null || !vocab.isJsonArray()) throw TokenizerJson.bad(file, "model.vocab", "a list of [piece, score]");
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) {
                JsonElement p = pieces.get(i);
                if (!p.isJsonArray() || p.getAsJsonArray().isEmpty() || !p.getAsJsonArray().get(0).isJsonPrimitive()) {
                    throw TokenizerJson.bad(file, "model.vocab[" + i + "]", "[piece, score]");
                }
                ids.putIfAbsent(p.getAsJsonArray().get(0).getAsString(), i);
            }
        } else {
            // WordPiece and BPE: an object token -> id
            if (vocab == null || !vocab.isJsonObject()) throw TokenizerJson.bad(file, "model.vocab", "an object token -> id");
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                ids.put(e.getKey(), TokenizerJson.nonNegativeInt(e.getValue(), "model.vocab[\"" + e.getKey() + "\"]", file));
            }
        }
        JsonElement added = tokenizerJson.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            // the library gives an added token the id its text has in the model, else the next id after the model's and
            // the added tokens' so far; the file's id only draws a warning from it. An id that differs would put a token
            // on another row than xner's (found fuzzing: "[MASK]" written as 4, given 17, past a vocabulary of 17)
            Map<String, Integer> modelIds = new HashMap<>(ids);
            int modelSize = ids.size();
            Map<String, Integer> libraryIds = new HashMap<>();
            JsonArray list = added.getAsJsonArray();
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isJsonObject()) throw TokenizerJson.bad(file, "added_tokens[" + i + "]", "an object");
                JsonObject t = list.get(i).getAsJsonObject();
                String content = TokenizerJson.string(t, "content", "added_tokens[" + i + "].content", file);
                int id = TokenizerJson.nonNegativeInt(t.get("id"), "added_tokens[" + i + "].id", file);
                Integer given = libraryIds.containsKey(content) ? libraryIds.get(content) : modelIds.get(content);
                if (given == null) {
                    int max = libraryIds.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
                    given = max < 0 ? modelSize : max >= modelSize || modelSize == 0 ? max + 1 : modelSize;
                }
                libraryIds.put(content, given);
                if (id != given) {
                    throw TokenizerJson.bad(file, "added_tokens[" + i + "].id", given + ", the id the tokenizers library gives \""
                            + content + "\", found " + id);
                }
                ids.put(content, id);
            }
        }
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[size];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            // two strings on one id happen only in a malformed file; keep the smaller so the choice is stable
            String old = tokens[e.getValue()];
            if (old == null || e.getKey().compareTo(old) < 0) tokens[e.getValue()] = e.getKey();
        }
        return new Vocabulary(tokens, ids);
    }

    /** The vocabulary of a {@code vocab.txt} (one token a line, the line index is the id). */
    static Vocabulary ofLines(List<String> lines) {
        Map<String, Integer> ids = new HashMap<>(lines.size() * 2);
        for (int i = 0; i < lines.size(); i++) ids.put(lines.get(i), i); // a repeated line keeps its last id, as transformers' load_vocab
        return new Vocabulary(lines.toArray(String[]::new), ids);
    }

    int size() {
        return tokens.length;
    }

    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    String token(int id) {
        if (id < 0 || id >= tokens.length) throw new IllegalArgumentException("id " + id + " outside [0, " + tokens.length + ")");
        return tokens[id];
    }

    boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The tokens in id order, as {@code vocab.txt} lists them (an unused id becomes an empty line). */
    List<String> tokensInIdOrder() {
        List<String> out = new ArrayList<>(Arrays.asList(tokens));
        out.replaceAll(t -> t == null ? "" : t);
        return out;
    }
}
