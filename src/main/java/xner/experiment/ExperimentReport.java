package xner.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xner.data.Progress;
import xner.evaluate.ErrorAnalysis;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.train.EpochLog;

/**
 * The writer of the experiment's outputs, from its results: {@code results.json} (every number, the corpus sizes, the
 * settings and the provenance), {@code report.md} and {@code report.html} (the same tables, the chapter's
 * xlm-roberta-base numbers beside ours) and the plots under {@code plots/}. Sub-runs that have not finished
 * show as "—"; writing again after each sub-run keeps a partial report current.
 */
public final class ExperimentReport {
    public static final String RESULTS = "results.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";
    public static final String PLOTS = "plots";
    static final String LEARNING_CURVE = "learning-curve";
    static final String EPOCHS_LOSS = "epochs-loss";
    static final String EPOCHS_F1 = "epochs-f1";
    static final String CONFUSION = "confusion-de-validation";
    private static final String NONE = "—";

    private ExperimentReport() {}

    /** Writes results.json, the plots, report.md and report.html into {@code output}, each file atomically. */
    public static void write(Path output, ExperimentResults results) throws IOException {
        List<String> plots = writePlots(output.resolve(PLOTS), results);
        Durable.writeString(output.resolve(RESULTS), JsonOutput.PRETTY.toJson(json(results)));
        ReportDocument doc = document(results, plots);
        Durable.writeString(output.resolve(MARKDOWN), doc.markdown());
        Durable.writeString(output.resolve(HTML), doc.html());
    }

    /** The plots the results allow so far; returns their names. */
    static List<String> writePlots(Path dir, ExperimentResults r) throws IOException {
        List<String> names = new ArrayList<>();
        if (!r.curve().isEmpty()) {
            Charts.write(Charts.learningCurve(r.curve(), r.zeroShotFrench().orElse(null)), dir, LEARNING_CURVE);
            names.add(LEARNING_CURVE);
        }
        Map<String, List<EpochLog>> epochs = epochRuns(r);
        if (!epochs.isEmpty()) {
            Charts.write(Charts.epochCurves(epochs, Charts.EpochMetric.LOSS), dir, EPOCHS_LOSS);
            Charts.write(Charts.epochCurves(epochs, Charts.EpochMetric.F1), dir, EPOCHS_F1);
            names.add(EPOCHS_LOSS);
            names.add(EPOCHS_F1);
        }
        var analysis = r.result("de").map(SubRunResult::analysis);
        if (analysis.isPresent()) {
            Charts.write(Charts.confusion(analysis.get().confusion(), "German model on German validation (normalised)"),
                    dir, CONFUSION);
            names.add(CONFUSION);
        }
        return names;
    }

    /** The per-epoch logs of the finished sub-runs other than the learning curve's (too many lines otherwise). */
    private static Map<String, List<EpochLog>> epochRuns(ExperimentResults r) {
        Map<String, List<EpochLog>> runs = new LinkedHashMap<>();
        for (SubRun run : r.plan()) {
            if (run.group() == SubRun.Group.CURVE) continue;
            r.result(run.id()).ifPresent(res -> runs.put(run.id(), res.epochs()));
        }
        return runs;
    }

    /** Everything, for machines. */
    static Map<String, Object> json(ExperimentResults r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", "swiss-panx");
        m.put("body", r.body());
        m.put("settings", r.provenance().hyperparameters());
        m.put("provenance", r.provenance());
        Map<String, Object> corpus = new LinkedHashMap<>();
        corpus.put("name", "swiss");
        corpus.put("seed", r.corpusSeed());
        corpus.put("sizes", r.corpusSizes());
        corpus.put("notes", r.corpusNotes());
        m.put("corpus", corpus);
        List<Map<String, Object>> plan = new ArrayList<>();
        for (SubRun run : r.plan()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", run.id());
            p.put("group", run.group().label());
            p.put("train_langs", run.trainLangs());
            if (run.curveSize() > 0) p.put("curve_size", run.curveSize());
            p.put("test_langs", run.testLangs());
            p.put("epochs", run.epochs());
            p.put("finished", r.results().containsKey(run.id()));
            plan.add(p);
        }
        m.put("plan", plan);
        m.put("final_table", r.finalTable());
        Map<String, Object> curve = new LinkedHashMap<>();
        curve.put("points", r.curve());
        curve.put("zero_shot_fr", r.zeroShotFrench().orElse(null));
        r.crossover().ifPresent(c -> {
            curve.put("crossover", c);
            curve.put("finding", c.sentence());
        });
        m.put("learning_curve", curve);
        Map<String, Object> runs = new LinkedHashMap<>();
        r.results().forEach((id, res) -> runs.put(id, res.toJson()));
        m.put("runs", runs);
        Map<String, Object> chapter = new LinkedHashMap<>();
        chapter.put("model", "xlm-roberta-base");
        chapter.put("test_f1", ExperimentResults.CHAPTER);
        chapter.put("learning_curve", ExperimentResults.CHAPTER_CROSSOVER);
        m.put("chapter", chapter);
        m.put("notes", notes(r));
        return m;
    }

    private static List<String> notes(ExperimentResults r) {
        List<String> notes = new ArrayList<>();
        r.corpusNotes().forEach((lang, splits) -> splits.forEach((split, note) ->
                notes.add(lang + " " + split + ": " + note)));
        if (r.settings().quick()) notes.add("--quick: " + quickSizes(r.settings()));
        return notes;
    }

    private static String quickSizes(ExperimentSettings s) {
        return s.epochs() + " epoch(s), at most " + s.maxTrain() + " training sentences per sub-run, " + s.maxValidation()
                + " validation and " + s.maxTest() + " test sentences per language: a look at the pipeline, not the "
                + "chapter's numbers";
    }

    static ReportDocument document(ExperimentResults r, List<String> plots) {
        ReportDocument doc = new ReportDocument("Cross-lingual transfer on the Swiss PAN-X corpus");
        introduction(doc, r);
        setup(doc, r);
        subRuns(doc, r);
        finalTable(doc, r);
        german(doc, r, plots);
        frenchCurve(doc, r, plots);
        germanFrench(doc, r);
        eachLanguage(doc, r);
        allFour(doc, r);
        epochCurves(doc, r, plots);
        notesSection(doc, r);
        return doc;
    }

    /** What ran, on which code and machine, with which command. */
    private static void introduction(ReportDocument doc, ExperimentResults r) {
        var p = r.provenance();
        doc.paragraph("Chapter 4 of *NLP with Transformers* on the JVM: body `" + r.body() + "` fine-tuned with the "
                + "chapter's recipe; the chapter's numbers (xlm-roberta-base) stand beside ours. This report: code commit `"
                + p.gitCommit() + "`, started " + p.startedAt() + ", " + p.platform().get("os.arch") + ", Java "
                + p.platform().get("java") + (p.platform().containsKey("cpu") ? ", CPU " + p.platform().get("cpu") + " ("
                + p.platform().get("cpu_flags") + ")" : "") + ", matrix products in " + r.settings().training().precision()
                + "; each sub-run's commit and command are in the sub-runs table and results.json.");
        doc.paragraph("Command: `" + p.command() + "`");
        if (r.settings().quick()) {
            doc.paragraph("**Quick run** (`--quick`): " + quickSizes(r.settings()) + ".");
        }
    }

    /** The Swiss corpus sizes, the seeds and the recipe. */
    private static void setup(ReportDocument doc, ExperimentResults r) {
        doc.heading(2, "Setup");
        List<List<String>> corpus = new ArrayList<>();
        r.corpusSizes().forEach((lang, splits) -> {
            String note = String.join("; ", r.corpusNotes().getOrDefault(lang, Map.of()).entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList());
            corpus.add(List.of(lang, count(splits.get("train")), count(splits.get("validation")), count(splits.get("test")),
                    note.isEmpty() ? "" : note));
        });
        doc.paragraph("Swiss corpus, sampled with seed " + r.corpusSeed() + " (each language in its Swiss proportion); "
                + "training seed " + r.settings().training().seed() + ".");
        doc.table(List.of("language", "train", "validation", "test", "note"), corpus);
        doc.paragraph("Recipe: " + recipe(r) + ".");
    }

    /** One row a sub-run: sizes, times, resumes, commit. */
    private static void subRuns(ReportDocument doc, ExperimentResults r) {
        doc.heading(2, "Sub-runs");
        List<List<String>> runs = new ArrayList<>();
        for (SubRun run : r.plan()) {
            var res = r.result(run.id());
            runs.add(List.of(run.id(), String.join("+", run.trainLangs()),
                    res.map(x -> count(x.trainSentences())).orElse(NONE), String.valueOf(run.epochs()),
                    res.map(x -> count(x.steps())).orElse(NONE),
                    res.map(x -> Progress.clock(x.wallSeconds())).orElse(NONE),
                    res.map(x -> Progress.clock(x.trainingSeconds())).orElse(NONE),
                    res.map(x -> x.resumedFromEpoch() > 0 ? "after epoch " + x.resumedFromEpoch() : "no").orElse(NONE),
                    res.map(SubRunResult::finishedAt).orElse("not finished"),
                    res.map(x -> x.finishedBy() == null ? "not recorded" : "`" + x.finishedBy().gitCommit() + "`").orElse(NONE)));
        }
        doc.table(List.of("sub-run", "trained on", "sentences", "epochs", "steps", "wall time", "training time",
                "resumed", "finished", "commit"), runs);
        doc.paragraph("Wall time: the attempt that finished the sub-run (training, validation each epoch, test, "
                + "analysis); training time: the training steps of all its epochs, over every attempt. Commit: the code "
                + "that finished it (not recorded by results written before the commit was).");
    }

    /** The test F1 of every row the chapter has, the chapter's beside ours. */
    private static void finalTable(ReportDocument doc, ExperimentResults r) {
        doc.heading(2, "Final table: test F1");
        doc.paragraph("Rows: the languages fine-tuned on (de: German only, scored zero-shot on the others; each: every "
                + "language on itself; all: the four together; de-fr: German + French). Chapter rows: xlm-roberta-base.");
        List<List<String>> table = new ArrayList<>();
        r.finalTable().forEach((row, cells) -> {
            table.add(row(row, cells));
            Map<String, Double> chapter = ExperimentResults.CHAPTER.get(row);
            if (chapter != null) table.add(row(row + " (chapter)", chapter));
        });
        doc.table(header("trained on"), table);
    }

    /** Section 1: the German model and its zero-shot transfer, per epoch and its error analysis. */
    private static void german(ReportDocument doc, ExperimentResults r, List<String> plots) {
        doc.heading(2, "1. Fine-tuned on German, zero-shot on the others");
        r.result("de").ifPresentOrElse(de -> {
            testTable(doc, de, "de");
            doc.paragraph("Per epoch (validation on German):");
            doc.table(epochHeader(), epochRows(de));
            if (de.analysis() != null) analysis(doc, de.analysis(), plots);
        }, () -> doc.paragraph("Not finished yet."));
    }

    /** Section 2: the French learning curve against the zero-shot line. */
    private static void frenchCurve(ReportDocument doc, ExperimentResults r, List<String> plots) {
        doc.heading(2, "2. French learning curve");
        List<List<String>> curve = new ArrayList<>();
        Double zeroShot = r.zeroShotFrench().orElse(null);
        for (ExperimentResults.CurvePoint point : r.curve()) {
            curve.add(List.of(count(point.samples()), f4(point.f1()), f4(zeroShot)));
        }
        if (curve.isEmpty()) doc.paragraph("Not finished yet.");
        else doc.table(List.of("French training sentences", "F1 on French test", "zero-shot from German"), curve);
        doc.paragraph("Ours: " + r.crossover().map(ExperimentResults.Crossover::sentence).orElse(
                "needs the German sub-run and the curve") + ". Chapter: " + ExperimentResults.CHAPTER_CROSSOVER + ".");
        if (plots.contains(LEARNING_CURVE)) doc.image("French learning curve with the zero-shot line", LEARNING_CURVE);
    }

    /** Section 3: German + French together. */
    private static void germanFrench(ReportDocument doc, ExperimentResults r) {
        doc.heading(2, "3. Fine-tuned on German + French");
        r.result("de-fr").ifPresentOrElse(
                res -> testTable(doc, res, null),
                () -> doc.paragraph("Not finished yet."));
    }

    /** Section 4: each language fine-tuned on itself. */
    private static void eachLanguage(ReportDocument doc, ExperimentResults r) {
        doc.heading(2, "4. Each language on itself");
        List<List<String>> each = new ArrayList<>();
        for (SubRun run : r.plan()) {
            if (run.group() != SubRun.Group.EACH) continue;
            String lang = run.trainLangs().get(0);
            each.add(List.of(lang, r.result(run.id()).map(x -> f4(x.f1(lang))).orElse(NONE),
                    f4(ExperimentResults.CHAPTER.get("each").get(lang))));
        }
        doc.table(List.of("language", "F1 on its test", "chapter F1"), each);
    }

    /** Section 5: all four languages together. */
    private static void allFour(ReportDocument doc, ExperimentResults r) {
        doc.heading(2, "5. Fine-tuned on all four");
        r.result("all").ifPresentOrElse(
                res -> testTable(doc, res, "all"),
                () -> doc.paragraph("Not finished yet."));
    }

    /** Loss and F1 per epoch of every finished sub-run. */
    private static void epochCurves(ReportDocument doc, ExperimentResults r, List<String> plots) {
        doc.heading(2, "Per-epoch curves");
        if (plots.contains(EPOCHS_LOSS)) {
            doc.image("Training (solid) and validation (dashed) loss per epoch", EPOCHS_LOSS);
            doc.image("Validation F1 per epoch", EPOCHS_F1);
        }
        for (SubRun run : r.plan()) {
            r.result(run.id()).ifPresent(res -> {
                doc.paragraph("**" + run.id() + "** (validation on " + String.join("+", run.trainLangs()) + ")");
                doc.table(epochHeader(), epochRows(res));
            });
        }
    }

    /** What a reader must know to read the numbers (flags, missing gold tags). */
    private static void notesSection(ReportDocument doc, ExperimentResults r) {
        List<String> notes = notes(r);
        if (!notes.isEmpty()) {
            doc.heading(2, "Notes");
            for (String note : notes) doc.paragraph(note);
        }
    }

    private static void analysis(ReportDocument doc, SubRunResult.Analysis a, List<String> plots) {
        doc.heading(3, "Error analysis (" + a.split() + ")");
        if (plots.contains(CONFUSION)) doc.image("Normalised confusion matrix of the German model on German validation", CONFUSION);
        doc.pre(a.confusion().format(2));
        doc.paragraph("Input tokens with the highest summed loss:");
        doc.table(List.of("token", "count", "mean", "sum"), groups(a.byToken()));
        doc.paragraph("Losses by gold label, highest mean first:");
        doc.table(List.of("label", "count", "mean", "sum"), groups(a.byLabel()));
    }

    private static List<List<String>> groups(List<ErrorAnalysis.LossGroup> groups) {
        return groups.stream().map(g -> List.of("`" + g.key() + "`", count(g.count()), String.format(Locale.ROOT, "%.2f", g.mean()),
                String.format(Locale.ROOT, "%.2f", g.sum()))).toList();
    }

    /** One row per test language in the chapter's order; a language whose split has a note is starred. */
    private static List<List<String>> testRows(SubRunResult res, String chapterRow) {
        List<List<String>> rows = new ArrayList<>();
        for (String lang : SubRun.LANGS) {
            SubRunResult.LanguageScore s = res.test().get(lang);
            if (s == null) continue;
            rows.add(List.of(lang + (s.note() != null ? " *" : ""), count(s.sentences()), f4(s.precision()),
                    f4(s.recall()), f4(s.f1()),
                    chapterRow == null ? NONE : f4(ExperimentResults.CHAPTER.get(chapterRow).get(lang))));
        }
        return rows;
    }

    private static void testTable(ReportDocument doc, SubRunResult res, String chapterRow) {
        doc.table(List.of("test", "sentences", "precision", "recall", "F1", "chapter F1"), testRows(res, chapterRow));
        res.test().forEach((lang, s) -> {
            if (s.note() != null) doc.paragraph("* " + lang + " test: " + s.note());
        });
    }

    private static List<String> epochHeader() {
        return List.of("epoch", "step", "training loss", "validation loss", "precision", "recall", "F1", "seconds", "GFLOP/s");
    }

    private static List<List<String>> epochRows(SubRunResult res) {
        return res.epochs().stream().map(e -> List.of(String.valueOf(e.epoch()), String.valueOf(e.step()),
                f4(e.trainingLoss()), f4(e.validationLoss()), f4(e.precision()), f4(e.recall()), f4(e.f1()),
                String.format(Locale.ROOT, "%.0f", e.seconds()),
                e.trainingGflop() > 0 ? String.format(Locale.ROOT, "%.1f", e.gflopPerSecond()) : "—")).toList();
    }

    private static List<String> header(String first) {
        List<String> h = new ArrayList<>(List.of(first));
        h.addAll(SubRun.LANGS);
        return h;
    }

    private static List<String> row(String name, Map<String, Double> cells) {
        List<String> row = new ArrayList<>(List.of(name));
        for (String lang : SubRun.LANGS) row.add(f4(cells.get(lang)));
        return row;
    }

    private static String recipe(ExperimentResults r) {
        var t = r.settings().training();
        return String.format(Locale.ROOT, "AdamW, learning rate %s, weight decay %s (not on biases and LayerNorm), linear decay, "
                        + "batch %d, %d epochs (learning curve: %d), seed %d, gradient norm clipped at %s, batches of "
                        + "similar length %s", plain(t.learningRate()), plain(t.weightDecay()), t.batchSize(), r.settings().epochs(),
                r.settings().curveEpochs(), t.seed(), plain(t.maxGradNorm()), t.groupByLength() ? "on" : "off");
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
