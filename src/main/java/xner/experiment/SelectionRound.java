package xner.experiment;

import java.util.ArrayList;
import java.util.List;
import xner.select.Strategy;

/**
 * One sub-run of the active-learning simulation: a strategy's round, which chooses sentences until {@code annotated}
 * are annotated, then fine-tunes the starting model on all of them and scores the test set. Its folder is
 * {@code runs/<id>/}.
 *
 * @param round     1 for the first round
 * @param annotated sentences annotated after this round (the chosen of every round so far)
 * @param previous  the same strategy's round before, whose model chooses this round's sentences; null in round 1
 */
public record SelectionRound(Strategy strategy, int round, int annotated, SelectionRound previous) {
    public SelectionRound {
        if (round < 1) throw new IllegalArgumentException("rounds count from 1, got " + round);
        if ((previous == null) != (round == 1)) throw new IllegalArgumentException("only round 1 has no previous round");
        if (previous != null && (previous.strategy != strategy || previous.annotated >= annotated)) {
            throw new IllegalArgumentException("round " + round + " must follow its strategy's smaller round");
        }
    }

    /** Its name and folder: {@code mnlp-250}. */
    public String id() {
        return strategy.wireName() + "-" + annotated;
    }

    /** Sentences this round adds to those annotated before. */
    public int newlyAnnotated() {
        return annotated - (previous == null ? 0 : previous.annotated);
    }

    /**
     * Every sub-run, round by round and within a round strategy by strategy: a run stopped early has comparable points
     * of every strategy at the small sizes, and at most one model per strategy waits on disk for the next round.
     */
    public static List<SelectionRound> plan(ActiveLearningSettings settings) {
        List<SelectionRound> plan = new ArrayList<>();
        List<SelectionRound> last = new ArrayList<>();
        for (int k = 0; k < settings.rounds().size(); k++) {
            for (int s = 0; s < settings.strategies().size(); s++) {
                SelectionRound run = new SelectionRound(settings.strategies().get(s), k + 1, settings.rounds().get(k),
                        k == 0 ? null : last.get(s));
                plan.add(run);
                if (k == 0) last.add(run);
                else last.set(s, run);
            }
        }
        return plan;
    }

    @Override
    public String toString() {
        return id();
    }
}
