package xner.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import xner.select.Strategy;
import xner.train.RunRecord;

/**
 * Everything the active-learning report shows: how the simulation was set up, its plan, and the rounds finished so far
 * (this attempt's and earlier ones' in the same output folder).
 *
 * @param startModel  the starting model's folder name
 * @param firstRound  what round 1 did, in words (the strategy asked the starting model, or a random cold start)
 * @param start       the starting model scored on the test set before any annotation (for the French setting, the
 *                    German model's zero-shot transfer)
 * @param dataSizes   pool, validation, test → sentences
 * @param dataNames   pool, validation, test → where the sentences came from
 * @param results     sub-run id → result, for the finished ones, in plan order
 */
public record ActiveLearningResults(ActiveLearningSettings settings, RunRecord provenance, String startModel,
                                    String firstRound, RoundResult start, Map<String, Integer> dataSizes, Map<String, String> dataNames,
                                    List<String> labels, List<SelectionRound> plan, Map<String, RoundResult> results) {
    public ActiveLearningResults {
        dataSizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dataSizes));
        dataNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dataNames));
        labels = List.copyOf(labels);
        plan = List.copyOf(plan);
        results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    public Optional<RoundResult> result(String id) {
        return Optional.ofNullable(results.get(id));
    }

    /** One point of a strategy's curve: annotated sentences and test F1 (micro). */
    public record CurvePoint(int annotated, double f1) {}

    /** The finished points of each strategy's curve, strategies in the settings' order, points by size. */
    public Map<Strategy, List<CurvePoint>> curves() {
        Map<Strategy, List<CurvePoint>> curves = new LinkedHashMap<>();
        for (Strategy s : settings.strategies()) curves.put(s, new ArrayList<>());
        for (SelectionRound run : plan) {
            result(run.id()).ifPresent(r -> curves.get(run.strategy()).add(new CurvePoint(run.annotated(), r.f1())));
        }
        return curves;
    }

    /** A strategy's test F1 after {@code annotated} sentences, once that round has finished. */
    public Optional<Double> f1(Strategy strategy, int annotated) {
        for (SelectionRound run : plan) {
            if (run.strategy() == strategy && run.annotated() == annotated) return result(run.id()).map(RoundResult::f1);
        }
        return Optional.empty();
    }

    /**
     * Issue 23's target for one uncertainty strategy: to reach the F1 that random reaches at
     * {@link ActiveLearningSettings#compareAt()} sentences with at most {@link ActiveLearningSettings#budget()}.
     *
     * @param randomF1  random's F1 at {@code compareAt}
     * @param reachedAt the fewest annotated sentences among the finished rounds at which the strategy's F1 is at least
     *                  {@code randomF1}, or null when none is
     * @param f1AtBudget the strategy's F1 at {@code budget} sentences, or null when that round has not finished (or is
     *                  not in the plan)
     */
    public record Saving(Strategy strategy, int compareAt, double randomF1, int budget, Integer reachedAt, Double f1AtBudget) {
        /** Whether the target is met: reached with at most the budget. */
        public boolean met() {
            return reachedAt != null && reachedAt <= budget;
        }

        /** The finding in words, with the shortfall when missed. */
        public String sentence() {
            String target = String.format(Locale.ROOT, "random's F1 at %,d sentences (%.4f)", compareAt, randomF1);
            String name = strategy.wireName();
            if (met()) {
                return String.format(Locale.ROOT, "%s reaches %s with %,d sentences: target (at most %,d) met", name, target,
                        reachedAt, budget);
            }
            String at = f1AtBudget == null ? ""
                    : String.format(Locale.ROOT, "; at %,d sentences its F1 is %.4f, %.4f short", budget, f1AtBudget,
                            randomF1 - f1AtBudget);
            return reachedAt != null
                    ? String.format(Locale.ROOT, "%s reaches %s only with %,d sentences: target (at most %,d) missed%s", name,
                            target, reachedAt, budget, at)
                    : String.format(Locale.ROOT, "%s does not reach %s in the rounds run: target (at most %,d) missed%s", name,
                            target, budget, at);
        }
    }

    /**
     * The target read for each uncertainty strategy; empty until random's round at {@code compareAt} has finished
     * (or when random or that round is not in the plan).
     */
    public List<Saving> savings() {
        Optional<Double> reference = f1(Strategy.RANDOM, settings.compareAt());
        if (reference.isEmpty()) return List.of();
        List<Saving> savings = new ArrayList<>();
        Map<Strategy, List<CurvePoint>> curves = curves();
        for (Strategy s : settings.strategies()) {
            if (s == Strategy.RANDOM) continue;
            Integer reached = null;
            for (CurvePoint p : curves.get(s)) {
                if (p.f1() >= reference.get()) {
                    reached = p.annotated();
                    break;
                }
            }
            savings.add(new Saving(s, settings.compareAt(), reference.get(), settings.budget(), reached,
                    f1(s, settings.budget()).orElse(null)));
        }
        return savings;
    }
}
