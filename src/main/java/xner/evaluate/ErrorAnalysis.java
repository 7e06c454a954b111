package xner.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import xner.data.LabelSet;

/**
 * The chapter's error analysis of a token classifier on a labelled split, computed from each sequence's
 * per-token losses and predictions: losses grouped by input token and by gold label, the normalised confusion
 * matrix, and the sequences with the highest total loss. Only labelled positions (a word's first sub-token)
 * enter the groups and the matrix, as the chapter drops the rows labelled {@code IGN} before grouping.
 *
 * <pre>
 *   ErrorAnalysis analysis = new ErrorAnalysis(ScoredTokens.run(model, examples, 64, padId).sequenceLosses(tokenizer::idToToken), LabelSet.PANX);
 *   System.out.print(analysis.report(10, 3, null));
 * </pre>
 */
public final class ErrorAnalysis {
    /** How a position without a label is shown, as the chapter's DataFrame shows it. */
    public static final String IGN = "IGN";

    private final List<SequenceLosses> sequences;
    private final LabelSet labels;

    /** @throws IllegalArgumentException when a label or prediction id is outside {@code labels} */
    public ErrorAnalysis(List<SequenceLosses> sequences, LabelSet labels) {
        for (SequenceLosses s : sequences) {
            for (int t = 0; t < s.size(); t++) {
                int gold = s.labels()[t];
                if (gold != WordTags.IGNORE && (gold < 0 || gold >= labels.size())) {
                    throw new IllegalArgumentException("label id " + gold + " outside " + labels.names());
                }
                if (s.predicted()[t] < 0 || s.predicted()[t] >= labels.size()) {
                    throw new IllegalArgumentException("predicted id " + s.predicted()[t] + " outside " + labels.names());
                }
            }
        }
        this.sequences = List.copyOf(sequences);
        this.labels = labels;
    }

    public List<SequenceLosses> sequences() {
        return sequences;
    }

    /**
     * Count, mean and sum of the losses of one group of labelled tokens.
     *
     * @param key the input token or the gold label the group shares
     */
    public record LossGroup(String key, int count, double mean, double sum) {}

    /** Labelled tokens grouped by input token, highest summed loss first (ties by token). */
    public List<LossGroup> byToken() {
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (SequenceLosses s : sequences) {
            for (int t = 0; t < s.size(); t++) {
                if (s.labels()[t] != WordTags.IGNORE) add(groups, s.tokens().get(t), s.losses()[t]);
            }
        }
        return sorted(groups, Comparator.comparingDouble(LossGroup::sum).reversed().thenComparing(LossGroup::key));
    }

    /** Labelled tokens grouped by gold label, highest mean loss first (ties by label). */
    public List<LossGroup> byLabel() {
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (SequenceLosses s : sequences) {
            for (int t = 0; t < s.size(); t++) {
                if (s.labels()[t] != WordTags.IGNORE) add(groups, labels.name(s.labels()[t]), s.losses()[t]);
            }
        }
        return sorted(groups, Comparator.comparingDouble(LossGroup::mean).reversed().thenComparing(LossGroup::key));
    }

    private static void add(Map<String, double[]> groups, String key, float loss) {
        double[] g = groups.computeIfAbsent(key, k -> new double[2]); // {count, sum}
        g[0]++;
        g[1] += loss;
    }

    private static List<LossGroup> sorted(Map<String, double[]> groups, Comparator<LossGroup> order) {
        List<LossGroup> out = new ArrayList<>();
        groups.forEach((key, g) -> out.add(new LossGroup(key, (int) g[0], g[1] / g[0], g[1])));
        out.sort(order);
        return out;
    }

    /** Gold against predicted label over the labelled tokens. */
    public ConfusionMatrix confusion() {
        return ConfusionMatrix.of(sequences, labels);
    }

    /**
     * The {@code n} sequences with the highest total loss, highest first; with a {@code token}, only the
     * sequences that contain it (the chapter's look at sequences with an opening parenthesis).
     *
     * @param token an input token as the tokenizer writes it (e.g. {@code "("} or {@code "▁("}), or null for all
     */
    public List<SequenceLosses> highestLoss(int n, String token) {
        return sequences.stream().filter(s -> token == null || s.contains(token))
                .sorted(Comparator.comparingDouble(SequenceLosses::totalLoss).reversed()).limit(n).toList();
    }

    /**
     * One sequence as four aligned rows, tokens, labels, preds and losses, one column per token; positions
     * without a label read {@link #IGN} in the labels row.
     */
    public String rows(SequenceLosses s) {
        String[][] cells = new String[4][s.size()];
        for (int t = 0; t < s.size(); t++) {
            cells[0][t] = s.tokens().get(t);
            cells[1][t] = s.labels()[t] == WordTags.IGNORE ? IGN : labels.name(s.labels()[t]);
            cells[2][t] = labels.name(s.predicted()[t]);
            cells[3][t] = String.format(Locale.ROOT, "%.2f", s.losses()[t]);
        }
        String[] names = {"tokens", "labels", "preds", "losses"};
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            out.append(String.format("%-6s", names[r]));
            for (int t = 0; t < s.size(); t++) {
                int width = 0;
                for (String[] row : cells) width = Math.max(width, row[t].length());
                out.append("  ").append(String.format("%-" + width + "s", cells[r][t]));
            }
            trimEnd(out);
            out.append('\n');
        }
        return out.toString();
    }

    private static void trimEnd(StringBuilder out) {
        while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') out.setLength(out.length() - 1);
    }

    /** A text table of loss groups: the key, count, mean and sum (the chapter rounds to 2 decimals). */
    public static String table(String keyName, List<LossGroup> groups) {
        int width = Math.max(keyName.length(), groups.stream().mapToInt(g -> g.key().length()).max().orElse(0));
        StringBuilder out = new StringBuilder(String.format("%-" + width + "s %7s %8s %9s%n", keyName, "count", "mean", "sum"));
        for (LossGroup g : groups) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s %7d %8.2f %9.2f%n", g.key(), g.count(), g.mean(), g.sum()));
        }
        return out.toString();
    }

    /** Everything as text: the top {@code top} tokens, the labels, the confusion matrix, the worst sequences. */
    public String report(int top, int worst, String token) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d sequences, %d labelled tokens%n%n", sequences.size(), confusion().total()));
        out.append("Losses by input token (top ").append(top).append(" by sum)\n");
        out.append(table("token", byToken().stream().limit(top).toList())).append('\n');
        out.append("Losses by gold label (by mean)\n").append(table("label", byLabel())).append('\n');
        out.append("Confusion matrix (normalised over each gold label)\n").append(confusion().format(2)).append('\n');
        List<SequenceLosses> picked = highestLoss(worst, token);
        out.append(picked.size()).append(" sequences with the highest total loss")
                .append(token == null ? "" : " among those containing \"" + token + "\"").append('\n');
        for (SequenceLosses s : picked) {
            out.append(String.format(Locale.ROOT, "%ntotal loss %.2f%n", s.totalLoss())).append(rows(s));
        }
        return out.toString();
    }

    /** Everything as one JSON-ready map, with the same selections as {@link #report}. */
    public Map<String, Object> toJson(int top, int worst, String token) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequences", sequences.size());
        m.put("labelled_tokens", confusion().total());
        m.put("by_token", byToken().stream().limit(top).toList());
        m.put("by_label", byLabel());
        m.put("confusion", confusion().toJson());
        if (token != null) m.put("token", token);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SequenceLosses s : highestLoss(worst, token)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("total_loss", s.totalLoss());
            row.put("tokens", s.tokens());
            List<String> gold = new ArrayList<>();
            List<String> predicted = new ArrayList<>();
            for (int t = 0; t < s.size(); t++) {
                gold.add(s.labels()[t] == WordTags.IGNORE ? IGN : labels.name(s.labels()[t]));
                predicted.add(labels.name(s.predicted()[t]));
            }
            row.put("labels", gold);
            row.put("preds", predicted);
            row.put("losses", s.losses());
            rows.add(row);
        }
        m.put("highest_loss", rows);
        return m;
    }
}
