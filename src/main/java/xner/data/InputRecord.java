package xner.data;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * One record of a file to tag, as a {@link RecordReader} reads it: a text, a sentence of words, or the
 * reason why the record at its line cannot be read (reported and skipped by the tagger; the run goes on).
 */
public sealed interface InputRecord {
    /** Where the record starts. */
    Source source();

    /**
     * A text to tag: a line of a text file, or the {@code text} field of a JSON Lines object.
     *
     * @param fields the JSON object the text came from (its other fields travel to the output), or null
     */
    record Text(Source source, String text, JsonObject fields) implements InputRecord {
        public Text {
            if (source == null || text == null) throw new IllegalArgumentException("source and text must not be null");
        }
    }

    /**
     * A sentence of words already split: a CoNLL sentence.
     *
     * @param gold the tag column of each word when the sentence has two columns or more, else null
     */
    record Words(Source source, List<String> words, List<String> gold) implements InputRecord {
        public Words {
            if (source == null) throw new IllegalArgumentException("source must not be null");
            words = List.copyOf(words);
            if (gold != null) {
                gold = List.copyOf(gold);
                if (gold.size() != words.size()) throw new IllegalArgumentException(words.size() + " words, " + gold.size() + " tags");
            }
        }
    }

    /** A record that cannot be read, and why, in words for the user ({@code not UTF-8 text}). */
    record Malformed(Source source, String reason) implements InputRecord {}
}
