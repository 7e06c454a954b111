package xner.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import xner.data.Progress;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.select.Strategy;

/**
 * The writer of the active-learning simulation's outputs, from its results: {@code results.json} (every number, the
 * settings, the seed and the provenance), {@code report.md} and {@code report.html} (the curve as a table and a plot,
 * the target read off it, per-type F1, each sub-run's times and command) and {@code plots/active-learning.png|svg}.
 * Rounds not finished show as "—"; writing again after each round keeps a partial report current.
 */
public final class ActiveLearningReport {
    static final String CURVE = "active-learning";
    private static final String NONE = "—";

    private ActiveLearningReport() {}

    /** Writes results.json, the plot, report.md and report.html into {@code output}, each file atomically. */
    public static void write(Path output, ActiveLearningResults results) throws IOException {
        boolean plotted = results.curves().values().stream().anyMatch(c -> !c.isEmpty());
        if (plotted) {
            Charts.write(Charts.strategyCurves(curvesByName(results),
                    results.start() == null ? null : results.start().f1(), "Active learning: " + results.settings().setting()),
                    output.resolve(ExperimentReport.PLOTS), CURVE);
        }
        Durable.writeString(output.resolve(ExperimentReport.RESULTS), JsonOutput.PRETTY.toJson(json(results)));
        ReportDocument doc = document(results, plotted);
        Durable.writeString(output.resolve(ExperimentReport.MARKDOWN), doc.markdown());
        Durable.writeString(output.resolve(ExperimentReport.HTML), doc.html());
    }

    private static Map<String, List<ActiveLearningResults.CurvePoint>> curvesByName(ActiveLearningResults r) {
        Map<String, List<ActiveLearningResults.CurvePoint>> curves = new LinkedHashMap<>();
        r.curves().forEach((s, points) -> curves.put(s.wireName(), points));
        return curves;
    }

    /** Everything, for machines. */
    static Map<String, Object> json(ActiveLearningResults r) {
        var s = r.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", ActiveLearningExperiment.EXPERIMENT);
        m.put("setting", s.setting());
        m.put("start_model", r.startModel());
        m.put("settings", r.provenance().hyperparameters());
        m.put("random_seed", s.seed());
        m.put("first_round", r.firstRound());
        m.put("provenance", r.provenance());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sizes", r.dataSizes());
        data.put("sources", r.dataNames());
        data.put("labels", r.labels());
        m.put("data", data);
        List<Map<String, Object>> plan = new ArrayList<>();
        for (SelectionRound run : r.plan()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", run.id());
            p.put("strategy", run.strategy().wireName());
            p.put("round", run.round());
            p.put("annotated", run.annotated());
            p.put("finished", r.results().containsKey(run.id()));
            plan.add(p);
        }
        m.put("plan", plan);
        m.put("start", r.start());
        m.put("curves", curvesByName(r));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("compare_at", s.compareAt());
        target.put("budget", s.budget());
        List<Map<String, Object>> savings = new ArrayList<>();
        for (ActiveLearningResults.Saving saving : r.savings()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("strategy", saving.strategy().wireName());
            row.put("random_f1", saving.randomF1());
            row.put("reached_at", saving.reachedAt());
            row.put("f1_at_budget", saving.f1AtBudget());
            row.put("met", saving.met());
            row.put("finding", saving.sentence());
            savings.add(row);
        }
        target.put("strategies", savings);
        m.put("target", target);
        m.put("runs", r.results());
        m.put("notes", notes(r));
        return m;
    }

    static ReportDocument document(ActiveLearningResults r, boolean plotted) {
        ReportDocument doc = new ReportDocument("Active learning simulated with gold labels: " + r.settings().setting());
        introduction(doc, r);
        setup(doc, r);
        curve(doc, r, plotted);
        target(doc, r);
        perType(doc, r);
        subRuns(doc, r);
        commands(doc, r);
        List<String> notes = notes(r);
        if (!notes.isEmpty()) {
            doc.heading(2, "Notes");
            notes.forEach(doc::paragraph);
        }
        return doc;
    }

    /** What ran, on which code and machine. */
    private static void introduction(ReportDocument doc, ActiveLearningResults r) {
        var p = r.provenance();
        doc.paragraph("Each round chooses more sentences of the pool (random, or the ones the previous round's model is "
                + "least sure of), gives them their gold tags (the simulated annotator), fine-tunes the starting model `"
                + r.startModel() + "` on every sentence chosen so far and scores the test set (seqeval, micro F1). "
                + "This report: code commit `" + p.gitCommit() + "`, started " + p.startedAt() + ", " + p.platform().get("os.arch")
                + ", Java " + p.platform().get("java") + ", CPU " + p.platform().getOrDefault("cpu", "unknown")
                + (p.platform().containsKey("cpu_flags") ? " (" + p.platform().get("cpu_flags") + ")" : "")
                + ", matrix products in " + r.settings().training().precision() + ".");
        doc.paragraph("Command: `" + p.command() + "`");
    }

    /** The data, the strategies, the seed and the recipe. */
    private static void setup(ReportDocument doc, ActiveLearningResults r) {
        var s = r.settings();
        doc.heading(2, "Setup");
        List<List<String>> data = new ArrayList<>();
        r.dataSizes().forEach((split, n) -> data.add(List.of(split, count(n), r.dataNames().get(split))));
        doc.table(List.of("split", "sentences", "from"), data);
        doc.paragraph("Labels: " + String.join(", ", r.labels()) + ". Strategies: "
                + ActiveLearningSettings.names(s.strategies()) + "; rounds at " + String.join(", ", s.rounds().stream()
                .map(ActiveLearningReport::count).toList()) + " annotated sentences. **Seed of random: " + s.seed()
                + "** (each distinct text's key is drawn from the seed and the text alone). Round 1: " + r.firstRound() + ".");
        var t = s.training();
        doc.paragraph(String.format(Locale.ROOT, "Recipe of every round: AdamW, learning rate %s, weight decay %s (not on "
                        + "biases and LayerNorm), linear decay, batch %d, %d epochs, training seed %d, gradient norm clipped at "
                        + "%s; sentences cut at %s sub-tokens.", plain(t.learningRate()), plain(t.weightDecay()), t.batchSize(),
                t.epochs(), t.seed(), plain(t.maxGradNorm()), s.maxLength() > 0 ? String.valueOf(s.maxLength()) : "the tokenizer's"));
    }

    /** The curve: one column per strategy, one row per round. */
    private static void curve(ReportDocument doc, ActiveLearningResults r, boolean plotted) {
        doc.heading(2, "F1 against annotated sentences");
        List<String> header = new ArrayList<>(List.of("annotated sentences"));
        r.settings().strategies().forEach(s -> header.add(s.wireName()));
        List<List<String>> rows = new ArrayList<>();
        if (r.start() != null) {
            // every strategy starts from the same model: one number for the row before any annotation
            List<String> row = new ArrayList<>(List.of("0 (the starting model)"));
            r.settings().strategies().forEach(s -> row.add(f4(r.start().f1())));
            rows.add(row);
        }
        for (int n : r.settings().rounds()) {
            List<String> row = new ArrayList<>(List.of(count(n)));
            for (Strategy s : r.settings().strategies()) row.add(r.f1(s, n).map(ActiveLearningReport::f4).orElse(NONE));
            rows.add(row);
        }
        doc.table(header, rows);
        if (plotted) doc.image("Test F1 against annotated sentences, one line per strategy", CURVE);
        if (r.start() != null) {
            doc.paragraph("Row 0: `" + r.startModel() + "` scored on the test set before any annotation (with its own head, "
                    + "or the fresh one every round starts from), the dotted line of the plot.");
        }
    }

    /** Issue 23's target, read off the curve. */
    private static void target(ReportDocument doc, ActiveLearningResults r) {
        var s = r.settings();
        doc.heading(2, "Target");
        doc.paragraph(String.format(Locale.ROOT, "An uncertainty strategy reaches the F1 that random reaches at %,d "
                + "sentences with at most %,d.", s.compareAt(), s.budget()));
        List<ActiveLearningResults.Saving> savings = r.savings();
        if (savings.isEmpty()) {
            doc.paragraph(s.strategies().contains(Strategy.RANDOM) && s.rounds().contains(s.compareAt())
                    ? "Not known yet: random's round at " + count(s.compareAt()) + " has not finished."
                    : "Not measurable with this plan: it needs random and a round at " + count(s.compareAt()) + ".");
            return;
        }
        for (ActiveLearningResults.Saving saving : savings) doc.paragraph("**" + saving.sentence() + "**.");
    }

    /** Precision, recall, F1 and per-type F1 of every finished round. */
    private static void perType(ReportDocument doc, ActiveLearningResults r) {
        doc.heading(2, "Scores per round");
        Set<String> types = new java.util.TreeSet<>(); // by name, as seqeval's report orders them
        r.results().values().forEach(res -> types.addAll(res.test().perType().keySet()));
        List<String> header = new ArrayList<>(List.of("sub-run", "annotated", "precision", "recall", "F1"));
        types.forEach(t -> header.add("F1 " + t));
        List<List<String>> rows = new ArrayList<>();
        for (SelectionRound run : r.plan()) {
            r.result(run.id()).ifPresent(res -> {
                List<String> row = new ArrayList<>(List.of(run.id(), count(run.annotated()), f4(res.test().precision()),
                        f4(res.test().recall()), f4(res.test().f1())));
                for (String t : types) {
                    var score = res.test().perType().get(t);
                    row.add(score == null ? NONE : f4(score.f1()));
                }
                rows.add(row);
            });
        }
        if (rows.isEmpty()) doc.paragraph("No round has finished yet.");
        else doc.table(header, rows);
    }

    /** One row a sub-run: how it chose, its times, whether it was resumed, its commit. */
    private static void subRuns(ReportDocument doc, ActiveLearningResults r) {
        doc.heading(2, "Sub-runs");
        List<List<String>> rows = new ArrayList<>();
        for (SelectionRound run : r.plan()) {
            var res = r.result(run.id());
            rows.add(List.of(run.id(), count(run.annotated()), count(run.newlyAnnotated()),
                    res.map(RoundResult::chosenBy).orElse(NONE),
                    res.map(x -> Progress.clock(x.selectionSeconds())).orElse(NONE),
                    res.map(x -> Progress.clock(x.trainingSeconds())).orElse(NONE),
                    res.map(x -> Progress.clock(x.evaluationSeconds())).orElse(NONE),
                    res.map(x -> Progress.clock(x.wallSeconds())).orElse(NONE),
                    res.map(x -> x.resumedFromEpoch() > 0 ? "after epoch " + x.resumedFromEpoch() : "no").orElse(NONE),
                    res.map(RoundResult::finishedAt).orElse("not finished"),
                    res.map(x -> "`" + x.finishedBy().gitCommit() + "`").orElse(NONE)));
        }
        doc.table(List.of("sub-run", "annotated", "new", "chosen by", "selection", "training", "test", "wall time",
                "resumed", "finished", "commit"), rows);
        doc.paragraph("Selection: loading the model and scoring the pool (0:00:00 when an earlier attempt had chosen); "
                + "training: the training steps of all epochs, over every attempt; test: scoring the test set; wall time: the "
                + "attempt that finished the sub-run, validation after every epoch included.");
    }

    /** Every command line that finished a sub-run, so each number can be made again. */
    private static void commands(ReportDocument doc, ActiveLearningResults r) {
        doc.heading(2, "Commands");
        Set<String> commands = new LinkedHashSet<>();
        commands.add(r.provenance().command());
        r.results().values().forEach(res -> commands.add(res.finishedBy().command()));
        StringBuilder text = new StringBuilder();
        for (String c : commands) text.append("bin/xner ").append(c).append('\n');
        doc.pre(text.toString());
    }

    private static List<String> notes(ActiveLearningResults r) {
        List<String> notes = new ArrayList<>();
        var s = r.settings();
        if (s.capped()) {
            notes.add(String.format(Locale.ROOT, "Capped data (not the issue's experiment): at most %s pool, %s validation "
                    + "and %s test sentences.", cap(s.maxPool()), cap(s.maxValidation()), cap(s.maxTest())));
        }
        return notes;
    }

    private static String cap(int n) {
        return n > 0 ? count(n) : "all";
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String f4(Double v) {
        return v == null ? NONE : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String count(Integer n) {
        return n == null ? NONE : String.format(Locale.ROOT, "%,d", n);
    }
}
