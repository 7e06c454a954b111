package xner.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import xner.data.LabelSet;
import xner.infer.PreparedText;
import xner.infer.Tagged;

/**
 * A stand-in model with long texts: a text that starts with "long" is {@code longWindows} windows of 512 tokens, any
 * other one window of 3. Each forward pass takes {@code passMillis} and is recorded as the texts of its windows; the
 * first pass can be held until {@link #release} (when {@code hold} is set).
 */
final class SlicedModel implements Batcher.Model {
    final List<List<String>> passes = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final int longWindows;
    private final long passMillis;
    private final boolean hold;
    private final List<String> texts = new CopyOnWriteArrayList<>(); // a window's first id is its text's index here

    SlicedModel(int longWindows, long passMillis, boolean hold) {
        this.longWindows = longWindows;
        this.passMillis = passMillis;
        this.hold = hold;
    }

    /** How many texts were prepared (tokenized) so far. */
    int prepared() {
        return texts.size();
    }

    @Override
    public PreparedText prepare(String text) {
        int id;
        synchronized (texts) {
            id = texts.size();
            texts.add(text);
        }
        boolean isLong = text.startsWith("long");
        // "long" has the model's number of windows; "long3 ..." three
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("long(\\d+).*").matcher(text);
        int n = !isLong ? 1 : count.matches() ? Integer.parseInt(count.group(1)) : longWindows;
        List<int[]> windows = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            int[] ids = new int[isLong ? 512 : 3];
            ids[0] = id;
            windows.add(ids);
        }
        return PreparedText.of(text, windows);
    }

    @Override
    public float[][] forward(List<int[]> windows) {
        passes.add(windows.stream().map(w -> texts.get(w[0])).toList());
        entered.countDown();
        try {
            if (hold && passes.size() == 1) release.await(30, TimeUnit.SECONDS);
            Thread.sleep(passMillis);
        } catch (InterruptedException e) {
            throw new IllegalStateException("the worker must never be interrupted", e);
        }
        return new float[windows.size()][0];
    }

    @Override
    public Tagged postprocess(PreparedText text, float[][] windowLogits) {
        return new Tagged(text.text(), List.of(), LabelSet.PANX);
    }

    /** The number of passes that held a window of {@code text}. */
    long passesWith(String text) {
        return passes.stream().filter(p -> p.contains(text)).count();
    }
}
