package xner.tokenize;

import xner.ExitGate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Examples padded to the longest of them (dynamic padding, as {@code DataCollatorForTokenClassification}):
 * ids with the pad id, attention mask 0 and labels -100 on padding; ids and mask as {@link Padded}, the
 * collation the tagging pipeline shares. Row-major arrays of
 * {@code size × length}; the trainer turns them into arrays of its step scope.
 *
 * <p>The arrays are neither copied in nor out: a batch is made by {@link #collate} for one step or pass
 * and read once per step, so copies would only cost time. Read them, never write them. Equality, hash code
 * and {@code toString} are by the arrays' contents.
 *
 * @param examples the examples, in batch order
 * @param length   the padded length
 * @param ids      (size, length) token ids
 * @param mask     (size, length) 1 for a token, 0 for padding
 * @param labels   (size, length) label ids, -100 where none
 */
public record Batch(List<Example> examples, int length, long[] ids, long[] mask, long[] labels) {
    public Batch {
        examples = List.copyOf(examples);
    }

    public static Batch collate(List<Example> examples, int padId) {
        if (examples.isEmpty()) throw new IllegalArgumentException("a batch needs at least one example");
        return collate(examples, padId, examples.stream().mapToInt(Example::length).max().orElseThrow());
    }

    /**
     * Examples padded, or cut, to exactly {@code length} tokens: fixed shapes for benchmarks that compare
     * with a reference timed at one shape. A cut example loses its tail (its final separator too).
     */
    public static Batch collate(List<Example> examples, int padId, int length) {
        if (examples.isEmpty()) throw new IllegalArgumentException("a batch needs at least one example");
        List<int[]> ids = examples.stream().map(Example::ids).toList();
        Padded padded = Padded.of(ids, padId, length);
        long[] labels = Padded.rows(examples.stream().map(Example::labels).toList(), length, LabelAligner.IGNORE);
        return new Batch(examples, length, padded.ids(), padded.mask(), labels);
    }

    /** What a pass over batches in length order does with each: the batch and its rows' positions in the input. */
    public interface RowsConsumer {
        void accept(Batch batch, int[] positions);
    }

    /**
     * Padded tokens per pass without gradients, at most: what bounds a pass's memory (one layer's arrays live at
     * a time, ~70 MB per 512 tokens in BERT-base), not the count of rows.
     */
    public static final int MAX_TOKENS_PER_PASS = 4096;

    /**
     * Passes over {@code examples} without gradients: batches sorted by length of at most {@code batchSize}
     * rows and {@value #MAX_TOKENS_PER_PASS} padded tokens ({@link #passSizes}; padding changes no logit of a
     * real token, the attention mask hides it, so sorting only saves work). Between two batches the process
     * may stop cleanly ({@link ExitGate}).
     */
    public static void inLengthOrder(List<Example> examples, int batchSize, int padId, RowsConsumer action) {
        int[] lengths = examples.stream().mapToInt(Example::length).toArray();
        List<int[]> passes = passes(lengths, batchSize, MAX_TOKENS_PER_PASS);
        try (ExitGate.Scope gate = ExitGate.PROCESS.enter()) {
            for (int b = 0; b < passes.size(); b++) {
                int done = b;
                ExitGate.PROCESS.between(() -> "while evaluating, after batch " + done + " of " + passes.size());
                int[] positions = passes.get(b);
                List<Example> chunk = new ArrayList<>(positions.length);
                for (int p : positions) chunk.add(examples.get(p));
                action.accept(collate(chunk, padId), positions);
            }
        }
    }

    /**
     * Sequences of these lengths in passes: their positions sorted by length (ascending; equal lengths in input
     * order), cut where {@link #passSizes} cuts. The one length sort of evaluation, tagging and the benchmark.
     */
    public static List<int[]> passes(int[] lengths, int maxRows, int maxTokens) {
        int n = lengths.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i])); // stable
        int[] sorted = new int[n];
        for (int k = 0; k < n; k++) sorted[k] = lengths[order[k]];
        List<int[]> passes = new ArrayList<>();
        int from = 0;
        for (int size : passSizes(sorted, maxRows, maxTokens)) {
            int[] positions = new int[size];
            for (int k = 0; k < size; k++) positions[k] = order[from + k];
            passes.add(positions);
            from += size;
        }
        return passes;
    }

    /**
     * How many sequences each pass takes, in order, from sequences sorted by length (ascending): as many as fit
     * {@code maxRows} and {@code maxTokens} padded tokens (rows × the last, longest one); a sequence longer than
     * {@code maxTokens} goes alone. Shared by evaluation and the tagging pipeline.
     */
    public static List<Integer> passSizes(int[] sortedLengths, int maxRows, int maxTokens) {
        List<Integer> sizes = new ArrayList<>();
        for (int from = 0, to; from < sortedLengths.length; from = to) {
            to = from + 1;
            while (to < sortedLengths.length && to - from < maxRows && (long) (to - from + 1) * sortedLengths[to] <= maxTokens) to++;
            sizes.add(to - from);
        }
        return sizes;
    }

    public int size() {
        return examples.size();
    }

    /** Rows {@code [from, to)} of this batch, at the same padded length: a micro-batch. */
    public Batch rows(int from, int to) {
        if (from < 0 || to > size() || from >= to) throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + size());
        int a = from * length;
        int b = to * length;
        return new Batch(examples.subList(from, to), length, Arrays.copyOfRange(ids, a, b), Arrays.copyOfRange(mask, a, b),
                Arrays.copyOfRange(labels, a, b));
    }

    /** Tokens with a label (not -100): what the loss averages over. */
    public long labelled() {
        return Arrays.stream(labels).filter(l -> l >= 0).count();
    }

    /** Real tokens in the batch (padding excluded). */
    public long tokens() {
        return Arrays.stream(mask).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && length == b.length && examples.equals(b.examples) && Arrays.equals(ids, b.ids)
                && Arrays.equals(mask, b.mask) && Arrays.equals(labels, b.labels);
    }

    @Override
    public int hashCode() {
        int h = 31 * examples.hashCode() + length;
        h = 31 * h + Arrays.hashCode(ids);
        h = 31 * h + Arrays.hashCode(mask);
        return 31 * h + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Batch[size=" + size() + ", length=" + length + ", ids=" + Arrays.toString(ids) + ", mask="
                + Arrays.toString(mask) + ", labels=" + Arrays.toString(labels) + "]";
    }
}
