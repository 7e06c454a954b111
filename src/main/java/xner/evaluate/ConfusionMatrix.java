package xner.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xner.data.LabelSet;

/**
 * Counts of (gold tag, predicted tag) pairs over a label set, rows gold and columns predicted, as scikit-learn's
 * {@code confusion_matrix(y_true, y_pred, labels=...)}; {@link #normalised()} is its {@code normalize="true"}.
 *
 * @param labels the tags, in the order of rows and columns
 * @param counts {@code counts[gold][predicted]}
 */
public record ConfusionMatrix(LabelSet labels, long[][] counts) {
    public ConfusionMatrix {
        if (counts.length != labels.size()) {
            throw new IllegalArgumentException(counts.length + " rows for " + labels.size() + " labels");
        }
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != labels.size()) {
                throw new IllegalArgumentException("row " + i + " has " + counts[i].length + " columns for "
                        + labels.size() + " labels");
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** The matrix of word tags: each word's gold tag against its predicted tag. */
    public static ConfusionMatrix of(WordTags words, LabelSet labels) {
        long[][] counts = new long[labels.size()][labels.size()];
        for (int s = 0; s < words.gold().size(); s++) {
            List<String> gold = words.gold().get(s);
            List<String> predicted = words.predicted().get(s);
            for (int k = 0; k < gold.size(); k++) counts[index(labels, gold.get(k))][index(labels, predicted.get(k))]++;
        }
        return new ConfusionMatrix(labels, counts);
    }

    /** The matrix of the labelled positions (label not {@link WordTags#IGNORE}) of {@code sequences}. */
    public static ConfusionMatrix of(List<SequenceLosses> sequences, LabelSet labels) {
        long[][] counts = new long[labels.size()][labels.size()];
        for (SequenceLosses s : sequences) {
            for (int t = 0; t < s.size(); t++) {
                if (s.labels()[t] != WordTags.IGNORE) counts[s.labels()[t]][s.predicted()[t]]++;
            }
        }
        return new ConfusionMatrix(labels, counts);
    }

    private static int index(LabelSet labels, String tag) {
        int i = labels.indexOf(tag);
        if (i < 0) throw new IllegalArgumentException("tag " + tag + " is not in " + labels.names());
        return i;
    }

    /**
     * Each row divided by its sum: the share of each gold tag's words given each predicted tag. A row whose tag
     * never occurs is all 0, as scikit-learn leaves it after {@code nan_to_num}.
     */
    public double[][] normalised() {
        double[][] out = new double[counts.length][counts.length];
        for (int i = 0; i < counts.length; i++) {
            long sum = 0;
            for (long c : counts[i]) sum += c;
            for (int j = 0; j < counts.length; j++) out[i][j] = sum == 0 ? 0 : (double) counts[i][j] / sum;
        }
        return out;
    }

    public long total() {
        long sum = 0;
        for (long[] row : counts) for (long c : row) sum += c;
        return sum;
    }

    /** The normalised matrix as a text table: gold tags down, predicted tags across. */
    public String format(int digits) {
        double[][] n = normalised();
        int width = Math.max(digits + 2, labels.names().stream().mapToInt(String::length).max().orElse(1));
        int first = Math.max("gold\\pred".length(), width);
        StringBuilder out = new StringBuilder(String.format("%-" + first + "s", "gold\\pred"));
        for (String label : labels.names()) out.append(String.format(" %" + width + "s", label));
        out.append('\n');
        for (int i = 0; i < n.length; i++) {
            out.append(String.format("%-" + first + "s", labels.name(i)));
            for (double v : n[i]) out.append(String.format(java.util.Locale.ROOT, " %" + width + "." + digits + "f", v));
            out.append('\n');
        }
        return out.toString();
    }

    /** labels, counts and the normalised matrix, for JSON. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", labels.names());
        m.put("counts", counts);
        m.put("normalised", normalised());
        return m;
    }
}
