package xner.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Overlapping windows over a sequence too long for the model, and which window speaks for each token.
 *
 * <p>Windows hold at most {@code size} tokens and consecutive windows share {@code stride} tokens (the
 * meaning of {@code stride} in transformers' tokenizers and pipeline). Every token is scored in every window
 * that holds it, and keeps the scores of the window where it has the most context on both sides (the
 * largest distance to that window's nearer cut; the start and end of the whole sequence are no cut; the earlier
 * window on a tie). Entities are then built once
 * over the whole text, so an entity across a seam is neither cut nor counted twice. (transformers instead
 * builds entities per window and keeps the longer of overlapping ones.)
 *
 * <pre>
 *   Windows w = Windows.plan(20, 8, 2);   // [0, 8) [6, 14) [12, 20)
 *   w.owner(6);                           // 0: one token after it in window 0, none before it in window 1
 *   w.owner(7);                           // 1: none after it in window 0 (its last token), one before it in window 1
 * </pre>
 *
 * @param length the number of tokens covered
 * @param starts the first token of each window
 * @param ends   one past the last token of each window
 */
public record Windows(int length, int[] starts, int[] ends) {
    public Windows {
        starts = starts.clone();
        ends = ends.clone();
    }

    /** The windows over {@code length} tokens: one window when they fit in {@code size}. */
    public static Windows plan(int length, int size, int stride) {
        if (length < 0) throw new IllegalArgumentException("negative length " + length);
        if (size < 1) throw new IllegalArgumentException("a window must hold at least one token, size was " + size);
        if (stride < 0 || stride >= size) {
            throw new IllegalArgumentException("the stride (" + stride + " tokens of overlap) must be >= 0 and smaller than the "
                    + size + "-token window");
        }
        List<int[]> spans = new ArrayList<>();
        int step = size - stride;
        for (int start = 0; ; start += step) {
            int end = Math.min(length, start + size);
            spans.add(new int[] {start, end});
            if (end >= length) break;
        }
        int[] starts = new int[spans.size()];
        int[] ends = new int[spans.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = spans.get(i)[0];
            ends[i] = spans.get(i)[1];
        }
        return new Windows(length, starts, ends);
    }

    public int count() {
        return starts.length;
    }

    public int start(int window) {
        return starts[window];
    }

    public int end(int window) {
        return ends[window];
    }

    /** The window whose scores token {@code token} keeps: the one where it is farthest from an edge. */
    public int owner(int token) {
        if (token < 0 || token >= length) throw new IndexOutOfBoundsException("token " + token + " of " + length);
        int best = -1;
        int bestContext = -1;
        for (int w = 0; w < starts.length; w++) {
            if (token < starts[w] || token >= ends[w]) continue;
            int before = starts[w] == 0 ? Integer.MAX_VALUE : token - starts[w];
            int after = ends[w] == length ? Integer.MAX_VALUE : ends[w] - 1 - token;
            int context = Math.min(before, after);
            if (context > bestContext) {
                best = w;
                bestContext = context;
            }
        }
        return best;
    }
}
