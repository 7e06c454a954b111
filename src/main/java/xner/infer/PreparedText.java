package xner.infer;

import java.util.List;

/**
 * A text after the pipeline's first stage: tokenized whole (never truncated) and cut into windows, each waiting for
 * its forward pass. The service schedules these a window at a time ({@link TagPipeline#prepare},
 * {@link TagPipeline#forwardPass}, {@link TagPipeline#postprocess}), so that one long text never holds the model
 * for longer than one pass.
 */
public final class PreparedText {
    private final String text;
    private final Windowed windowed; // null when a stand-in model cut the text (tests of what schedules windows)
    private final List<int[]> windows;
    private final int tokens;

    private PreparedText(String text, Windowed windowed, List<int[]> windows) {
        this.text = text;
        this.windowed = windowed;
        this.windows = List.copyOf(windows);
        this.tokens = windows.stream().mapToInt(w -> w.length).sum();
    }

    static PreparedText of(Windowed windowed) {
        int[][] ids = new int[windowed.count()][];
        for (int w = 0; w < ids.length; w++) ids[w] = windowed.ids(w);
        return new PreparedText(windowed.text(), windowed, List.of(ids));
    }

    /** A text cut into {@code windows} by something other than a pipeline: a stand-in model in a test. */
    public static PreparedText of(String text, List<int[]> windows) {
        return new PreparedText(text, null, windows);
    }

    public String text() {
        return text;
    }

    public int windowCount() {
        return windows.size();
    }

    /** The token ids of window {@code w}, special tokens included (not to be changed). */
    public int[] window(int w) {
        return windows.get(w);
    }

    /** The model tokens of all windows together, special tokens and the tokens windows share included: its cost. */
    public int tokens() {
        return tokens;
    }

    /** The windows' plan, which postprocessing needs; only a pipeline's own texts have one. */
    Windowed windowed() {
        if (windowed == null) throw new IllegalArgumentException("this text was not prepared by a TagPipeline");
        return windowed;
    }
}
