package xner.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import xner.train.RunRecord;

/**
 * Everything the report shows: how the experiment was set up, its plan, and the results of the sub-runs
 * finished so far (this attempt's and earlier ones' in the same output folder).
 *
 * @param body        the pretrained body's folder name (e.g. bert-base-multilingual-cased)
 * @param corpusSizes language → split → sentences of the Swiss corpus
 * @param corpusNotes language → split → where the split comes from, when that needs saying
 * @param results     sub-run id → result, for the finished ones, in plan order
 */
public record ExperimentResults(ExperimentSettings settings, RunRecord provenance, String body, long corpusSeed,
                                Map<String, Map<String, Integer>> corpusSizes,
                                Map<String, Map<String, String>> corpusNotes, List<SubRun> plan,
                                Map<String, SubRunResult> results) {
    /** The chapter's test F1 with xlm-roberta-base, rows as in its final table. */
    public static final Map<String, Map<String, Double>> CHAPTER = chapter();
    /** The chapter's reading of its French learning curve. */
    public static final String CHAPTER_CROSSOVER = "zero-shot beats fine-tuning on French below about 750 samples";
    public static final int CHAPTER_CROSSOVER_SAMPLES = 750;

    public ExperimentResults {
        plan = List.copyOf(plan);
        results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    public Optional<SubRunResult> result(String id) {
        return Optional.ofNullable(results.get(id));
    }

    /**
     * The chapter's final table: rows {@code de} (fine-tuned on German, scored on each language), {@code each}
     * (each language fine-tuned on itself; German's cell is the German run), {@code all} (all four together),
     * plus {@code de-fr}. A cell is null until its sub-run has finished.
     */
    public Map<String, Map<String, Double>> finalTable() {
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        table.put("de", row(lang -> f1("de", lang)));
        table.put("each", row(lang -> f1(lang.equals("de") ? "de" : "each-" + lang, lang)));
        table.put("all", row(lang -> f1("all", lang)));
        table.put("de-fr", row(lang -> f1("de-fr", lang)));
        return table;
    }

    private static Map<String, Double> row(java.util.function.Function<String, Double> cell) {
        Map<String, Double> row = new LinkedHashMap<>();
        for (String lang : SubRun.LANGS) row.put(lang, cell.apply(lang));
        return row;
    }

    private Double f1(String id, String lang) {
        return result(id).map(r -> r.f1(lang)).orElse(null);
    }

    /** One point of the French learning curve: training sentences and French test F1. */
    public record CurvePoint(int samples, double f1) {}

    /** The finished points of the learning curve, by size. */
    public List<CurvePoint> curve() {
        List<CurvePoint> points = new ArrayList<>();
        for (SubRun run : plan) {
            if (run.group() != SubRun.Group.CURVE) continue;
            result(run.id()).map(r -> r.f1("fr")).ifPresent(f1 -> points.add(new CurvePoint(run.curveSize(), f1)));
        }
        return points;
    }

    /** French test F1 of the German model (zero-shot transfer), once the German sub-run has finished. */
    public Optional<Double> zeroShotFrench() {
        return Optional.ofNullable(f1("de", "fr"));
    }

    /**
     * Where fine-tuning on French starts to beat zero-shot transfer from German: the first rise of the curve
     * through the zero-shot line, interpolated linearly in log(samples); empty without the line or the curve.
     */
    public Optional<Crossover> crossover() {
        List<CurvePoint> points = curve();
        Optional<Double> zeroShot = zeroShotFrench();
        if (points.isEmpty() || zeroShot.isEmpty()) return Optional.empty();
        double line = zeroShot.get();
        if (points.get(0).f1() >= line) return Optional.of(new Crossover(Crossover.Kind.ALWAYS_ABOVE, points.get(0).samples()));
        for (int i = 1; i < points.size(); i++) {
            CurvePoint a = points.get(i - 1);
            CurvePoint b = points.get(i);
            if (a.f1() < line && b.f1() >= line) {
                double t = (line - a.f1()) / (b.f1() - a.f1());
                double logN = Math.log(a.samples()) + t * (Math.log(b.samples()) - Math.log(a.samples()));
                return Optional.of(new Crossover(Crossover.Kind.CROSSES, (int) Math.round(Math.exp(logN))));
            }
        }
        return Optional.of(new Crossover(Crossover.Kind.ALWAYS_BELOW, points.get(points.size() - 1).samples()));
    }

    /**
     * How the learning curve meets the zero-shot line.
     *
     * @param samples where it crosses ({@code CROSSES}), the smallest size tried ({@code ALWAYS_ABOVE}) or the
     *                largest ({@code ALWAYS_BELOW})
     */
    public record Crossover(Kind kind, int samples) {
        public enum Kind { CROSSES, ALWAYS_ABOVE, ALWAYS_BELOW }

        /** The finding in the chapter's words. */
        public String sentence() {
            return switch (kind) {
                case CROSSES -> "zero-shot beats fine-tuning on French below about " + samples + " samples";
                case ALWAYS_ABOVE -> "fine-tuning on French beats zero-shot at every size tried (from " + samples + " samples)";
                case ALWAYS_BELOW -> "zero-shot beats fine-tuning on French at every size tried (up to " + samples + " samples)";
            };
        }
    }

    private static Map<String, Map<String, Double>> chapter() {
        Map<String, Map<String, Double>> t = new LinkedHashMap<>();
        t.put("de", Map.of("de", 0.8677, "fr", 0.7141, "it", 0.6923, "en", 0.5890));
        t.put("each", Map.of("de", 0.8677, "fr", 0.8505, "it", 0.8192, "en", 0.7068));
        t.put("all", Map.of("de", 0.8682, "fr", 0.8647, "it", 0.8575, "en", 0.7870));
        return java.util.Collections.unmodifiableMap(t);
    }
}
