package xner.experiment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a round chose, written to {@code runs/<id>/selection.json} before it trains: a round resumed after its selection
 * trains on the same sentences without asking a model that may be gone.
 *
 * @param chosen     pool indices (0-based) of every sentence annotated after this round, in the order chosen: the
 *                   previous round's first, then this round's, the one chosen first first
 * @param previously how many of {@code chosen} earlier rounds chose
 * @param chosenBy   what chose this round's sentences, in words ({@code mnlp, by runs/mnlp-100/model})
 * @param summary    what the selector did ({@link xner.select.PoolSelector.Summary})
 * @param firstScore the strategy's score of the sentence this round chose first (NaN for a random draw)
 * @param lastScore  and of the one it chose last
 * @param seconds    wall time of the selection (the model's load and the pool's scoring)
 * @param sha256     fingerprint of the chosen sentences' words and gold tags, in order
 */
public record RoundSelection(String id, List<Integer> chosen, int previously, String chosenBy, String summary,
                             double firstScore, double lastScore, double seconds, String sha256) {
    public RoundSelection {
        chosen = List.copyOf(chosen);
        if (previously < 0 || previously > chosen.size()) {
            throw new IllegalArgumentException(previously + " chosen before, " + chosen.size() + " in all");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i : chosen) {
            if (i < 0) throw new IllegalArgumentException("negative pool index " + i);
            if (!seen.add(i)) throw new IllegalArgumentException("pool sentence " + i + " chosen twice");
        }
    }

    /** The pool indices this round added. */
    public List<Integer> added() {
        return chosen.subList(previously, chosen.size());
    }
}
