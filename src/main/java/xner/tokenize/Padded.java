package xner.tokenize;

import java.util.Arrays;
import java.util.List;

/**
 * Sequences of ids padded to one length, as a forward pass takes them: the collation shared by training's
 * {@link Batch} and the tagging pipeline. Row-major arrays of {@code rows × length}.
 *
 * @param rows   the number of sequences
 * @param length the padded length
 * @param ids    (rows, length) token ids, the pad id on padding
 * @param mask   (rows, length) 1 for a token, 0 for padding
 */
public record Padded(int rows, int length, long[] ids, long[] mask) {
    /** {@code sequences} padded with {@code padId} to the longest of them. */
    public static Padded of(List<int[]> sequences, int padId) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("a batch needs at least one sequence");
        return of(sequences, padId, sequences.stream().mapToInt(s -> s.length).max().orElseThrow());
    }

    /** {@code sequences} padded with {@code padId}, or cut, to exactly {@code length} tokens. */
    public static Padded of(List<int[]> sequences, int padId, int length) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("a batch needs at least one sequence");
        if (length < 1) throw new IllegalArgumentException("length must be >= 1, was " + length);
        long[] mask = new long[sequences.size() * length];
        for (int row = 0; row < sequences.size(); row++) {
            Arrays.fill(mask, row * length, row * length + Math.min(length, sequences.get(row).length), 1L);
        }
        return new Padded(sequences.size(), length, rows(sequences, length, padId), mask);
    }

    /** {@code sequences} as one row-major (rows, length) array, each filled up with {@code fill} or cut to {@code length}. */
    static long[] rows(List<int[]> sequences, int length, long fill) {
        long[] out = new long[sequences.size() * length];
        Arrays.fill(out, fill);
        for (int row = 0; row < sequences.size(); row++) {
            int[] s = sequences.get(row);
            for (int t = 0; t < Math.min(length, s.length); t++) out[row * length + t] = s[t];
        }
        return out;
    }
}
