package xner.select;

import com.google.gson.JsonObject;
import xner.data.InputRecord;

/**
 * A text of the pool that may be chosen.
 *
 * @param ordinal its place among the pool's records (0 for the first): the earlier wins a tie
 * @param text    the text, as compared for repeats and against {@code --exclude} (a CoNLL sentence's words joined
 *                by single spaces, as {@code tag} joins them)
 * @param score   the strategy's score
 * @param record  the record as read, which the output carries with its fields
 * @param output  the output record, {@code tag}'s JSON Lines with its entities and the score; null until tagged
 *                (random tags only the texts it chooses)
 */
public record Candidate(long ordinal, String text, double score, InputRecord record, JsonObject output) {
    public Candidate {
        if (ordinal < 0) throw new IllegalArgumentException("negative ordinal " + ordinal);
        if (text == null || record == null) throw new IllegalArgumentException("text and record must not be null");
        if (Double.isNaN(score)) throw new IllegalArgumentException("a candidate needs a score: " + record.source());
    }

    /** This candidate with its output record. */
    public Candidate withOutput(JsonObject record) {
        return new Candidate(ordinal, text, score, this.record, record);
    }
}
