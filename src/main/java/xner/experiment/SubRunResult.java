package xner.experiment;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xner.evaluate.ConfusionMatrix;
import xner.evaluate.EntityScores;
import xner.evaluate.ErrorAnalysis;
import xner.train.EpochLog;

/**
 * What one finished sub-run gives: its per-epoch table, its test scores, its times, and for the German
 * sub-run the error analysis on German validation. Written to {@code runs/<id>/result.json} the moment the
 * sub-run ends; its {@code spec} says what produced it, so a rerun with other settings is refused.
 *
 * @param steps             optimiser steps of the whole run
 * @param test              test language → scores
 * @param wallSeconds       wall time of the attempt that finished it (training, validation, tests, analysis)
 * @param trainingSeconds   wall time of the training steps of all its epochs, over every attempt
 * @param evaluationSeconds wall time of the test scoring (and analysis) after training
 * @param resumedFromEpoch  epochs a killed earlier attempt had finished (0 when it ran in one go)
 * @param finishedBy        the code commit and command line of the attempt that finished it (null in results
 *                          written before it was recorded)
 * @param analysis          the German sub-run's error analysis on German validation, else null
 * @param spec              what made it: data sizes and fingerprints, epochs, recipe, body
 */
public record SubRunResult(String id, String group, List<String> trainLangs, int trainSentences,
                           int validationSentences, int steps, List<EpochLog> epochs, Map<String, LanguageScore> test,
                           double wallSeconds, double trainingSeconds, double evaluationSeconds, int resumedFromEpoch,
                           String finishedAt, FinishedBy finishedBy, Analysis analysis, JsonObject spec) {
    public SubRunResult {
        trainLangs = List.copyOf(trainLangs);
        epochs = List.copyOf(epochs);
        test = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(test));
    }

    /** The test F1 on {@code lang}, or null when it was not scored. */
    public Double f1(String lang) {
        LanguageScore s = test.get(lang);
        return s == null ? null : s.f1();
    }

    /** The code and the command line that finished a sub-run: sub-runs of one report may come from several invocations. */
    public record FinishedBy(String gitCommit, String command) {}

    /**
     * Entity-level scores on one language's test split.
     *
     * @param loss mean cross-entropy over the labelled tokens
     * @param note where the split comes from, when that needs saying (Italian test taken from dev)
     */
    public record LanguageScore(int sentences, double loss, double precision, double recall, double f1, int support,
                                Map<String, EntityScores.Score> perType, String note) {
        public LanguageScore {
            perType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perType));
        }

        public static LanguageScore of(EntityScores scores, double loss, int sentences, String note) {
            return new LanguageScore(sentences, loss, scores.precision(), scores.recall(), scores.f1(), scores.support(),
                    scores.perType(), note);
        }
    }

    /**
     * The chapter's error analysis, kept small: the confusion matrix, the tokens with the highest summed loss
     * and the losses by gold label.
     */
    public record Analysis(String split, ConfusionMatrix confusion, List<ErrorAnalysis.LossGroup> byToken,
                           List<ErrorAnalysis.LossGroup> byLabel) {
        public Analysis {
            byToken = List.copyOf(byToken);
            byLabel = List.copyOf(byLabel);
        }
    }

    /** Field name → value for {@code results.json}: the record's components, the confusion matrix normalised too. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("group", group);
        m.put("train_langs", trainLangs);
        m.put("train_sentences", trainSentences);
        m.put("validation_sentences", validationSentences);
        m.put("steps", steps);
        m.put("epochs", epochs);
        m.put("test", test);
        m.put("wall_seconds", wallSeconds);
        m.put("training_seconds", trainingSeconds);
        m.put("evaluation_seconds", evaluationSeconds);
        m.put("resumed_from_epoch", resumedFromEpoch);
        m.put("finished_at", finishedAt);
        if (finishedBy != null) m.put("finished_by", Map.of("git_commit", finishedBy.gitCommit(), "command", finishedBy.command()));
        if (analysis != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("split", analysis.split());
            a.put("confusion", analysis.confusion().toJson());
            a.put("by_token", analysis.byToken());
            a.put("by_label", analysis.byLabel());
            m.put("analysis", a);
        }
        m.put("spec", spec);
        return m;
    }
}
