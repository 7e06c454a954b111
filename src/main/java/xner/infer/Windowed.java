package xner.infer;

import xner.tokenize.Encoding;

/**
 * One input of the pipeline cut into windows: its text, its whole encoding, the {@link Windows} plan over its
 * text tokens, and the special tokens every window repeats ({@code leading} before its slice of the text,
 * {@code trailing} after it: [CLS] and [SEP] for BERT). It answers which window speaks for token {@code k} of
 * the encoding, and at which position of that window token {@code k} sits.
 *
 * <pre>
 *   // [CLS] t0 … t9 [SEP]: 12 tokens; 6-token windows hold 4 text tokens, consecutive ones share 1
 *   Windowed w = Windowed.cut(text, encoding, 6, 1);   // text windows [0, 4) [3, 7) [6, 10)
 *   w.ids(1);                                          // [CLS] t3 t4 t5 t6 [SEP]
 *   w.window(5); w.position(5);                        // t4: window 1, position 2
 *   w.window(11); w.position(11);                      // [SEP]: the last window, position 5
 * </pre>
 *
 * @param text     the text the encoding's offsets index
 * @param encoding the whole (untruncated) encoding, special tokens included
 * @param leading  the special tokens at its start, repeated at the start of every window
 * @param trailing the special tokens at its end, repeated at the end of every window
 * @param plan     the windows over the text tokens (the encoding's tokens between the leading and trailing ones)
 */
record Windowed(String text, Encoding encoding, int leading, int trailing, Windows plan) {
    /** Cuts {@code encoding} into windows of at most {@code maxLength} tokens, specials included, sharing {@code stride}. */
    static Windowed cut(String text, Encoding encoding, int maxLength, int stride) {
        int size = encoding.size();
        int leading = 0;
        while (leading < size && encoding.isSpecial(leading)) leading++;
        int trailing = 0;
        while (trailing < size - leading && encoding.isSpecial(size - 1 - trailing)) trailing++;
        int room = maxLength - leading - trailing;
        return new Windowed(text, encoding, leading, trailing, Windows.plan(size - leading - trailing, room, Math.min(stride, room - 1)));
    }

    /** The number of windows. */
    int count() {
        return plan.count();
    }

    /** The ids of one window: the leading specials, its slice of the text tokens, the trailing specials. */
    int[] ids(int window) {
        int size = encoding.size();
        int from = leading + plan.start(window);
        int to = leading + plan.end(window);
        int[] ids = new int[leading + (to - from) + trailing];
        int at = 0;
        for (int k = 0; k < leading; k++) ids[at++] = encoding.ids().get(k);
        for (int k = from; k < to; k++) ids[at++] = encoding.ids().get(k);
        for (int k = size - trailing; k < size; k++) ids[at++] = encoding.ids().get(k);
        return ids;
    }

    /** The window whose scores token {@code k} of the encoding keeps: the first for leading specials, the last for trailing ones. */
    int window(int k) {
        if (k < leading) return 0;
        if (k >= encoding.size() - trailing) return count() - 1;
        return plan.owner(k - leading);
    }

    /** Where token {@code k} of the encoding sits in its {@link #window(int)}. */
    int position(int k) {
        int size = encoding.size();
        if (k < leading) return k;
        if (k >= size - trailing) {
            int last = count() - 1;
            return leading + plan.end(last) - plan.start(last) + (k - (size - trailing));
        }
        return k - plan.start(window(k));
    }
}
