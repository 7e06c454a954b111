package xner.evaluate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * An immutable entity-level evaluation: per-type scores and the micro, macro and weighted averages, as
 * seqeval's {@code classification_report} gives them.
 *
 * @param perType  entity type → scores, types in sorted order (seqeval sorts them)
 * @param micro    scores from the summed counts (the headline F1)
 * @param macro    unweighted mean of the per-type scores
 * @param weighted mean of the per-type scores weighted by support
 */
public record EntityScores(Map<String, Score> perType, Score micro, Score macro, Score weighted) {
    public EntityScores {
        perType = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(perType));
    }

    public double precision() {
        return micro.precision();
    }

    public double recall() {
        return micro.recall();
    }

    public double f1() {
        return micro.f1();
    }

    /** Number of gold entities. */
    public int support() {
        return micro.support();
    }

    /**
     * The report as seqeval prints it ({@code classification_report(y_true, y_pred, digits=digits)}),
     * numbers rounded half-even from their exact binary value, as Python's format does.
     */
    public String report(int digits) {
        int width = "weighted avg".length();
        for (String type : perType.keySet()) width = Math.max(width, type.length());
        width = Math.max(width, digits);
        StringBuilder out = new StringBuilder();
        out.append(" ".repeat(width)).append(' ');
        for (String header : new String[] {"precision", "recall", "f1-score", "support"}) {
            out.append(String.format(" %9s", header));
        }
        out.append("\n\n");
        for (Map.Entry<String, Score> e : perType.entrySet()) row(out, e.getKey(), e.getValue(), width, digits);
        out.append('\n');
        row(out, "micro avg", micro, width, digits);
        row(out, "macro avg", macro, width, digits);
        row(out, "weighted avg", weighted, width, digits);
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Score s, int width, int digits) {
        out.append(String.format("%" + width + "s ", name));
        for (double v : new double[] {s.precision(), s.recall(), s.f1()}) {
            out.append(String.format(" %9s", new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString()));
        }
        out.append(String.format(" %9d%n", s.support()));
    }

    /**
     * Precision, recall and F1 of one row, with the support (number of gold entities).
     * A ratio with a zero denominator is 0, as seqeval's default {@code zero_division}.
     */
    public record Score(double precision, double recall, double f1, int support) {
        public Score {
            if (support < 0) throw new IllegalArgumentException("support must be >= 0");
        }

        static Score of(int truePositives, int predicted, int gold) {
            double p = predicted == 0 ? 0 : (double) truePositives / predicted;
            double r = gold == 0 ? 0 : (double) truePositives / gold;
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            return new Score(p, r, f, gold);
        }
    }
}
