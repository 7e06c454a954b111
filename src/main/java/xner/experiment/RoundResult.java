package xner.experiment;

import com.google.gson.JsonObject;
import java.util.List;
import xner.train.EpochLog;

/**
 * What one finished round gives, written to {@code runs/<id>/result.json} the moment it ends: the point of its
 * strategy's curve (annotated sentences, test scores with per-type F1), its per-epoch table and its times. Its
 * {@code spec} says what produced it, so a rerun with other settings or data is refused.
 *
 * @param strategy          the strategy's wire name ({@code mnlp})
 * @param newlyAnnotated    sentences this round chose
 * @param chosenBy          what chose them, in words
 * @param selectionSha256   fingerprint of all the sentences trained on ({@link RoundSelection#sha256()})
 * @param test              scores on the test set: micro precision, recall, F1, and per type
 * @param selectionSeconds  wall time of the selection (0 when an earlier attempt had made it)
 * @param trainingSeconds   the training steps of all epochs, over every attempt
 * @param evaluationSeconds scoring the test set
 * @param wallSeconds       the attempt that finished it: selection, training with its validation, test
 * @param resumedFromEpoch  epochs an earlier, stopped attempt had finished (0 when it ran in one go)
 */
public record RoundResult(String id, String strategy, int round, int annotated, int newlyAnnotated, String chosenBy,
                          String selectionSha256, List<EpochLog> epochs, SubRunResult.LanguageScore test,
                          double selectionSeconds, double trainingSeconds, double evaluationSeconds, double wallSeconds,
                          int resumedFromEpoch, String finishedAt, SubRunResult.FinishedBy finishedBy, JsonObject spec) {
    public RoundResult {
        epochs = List.copyOf(epochs);
    }

    /** Micro F1 on the test set. */
    public double f1() {
        return test.f1();
    }
}
