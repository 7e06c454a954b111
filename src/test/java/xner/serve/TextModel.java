package xner.serve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import xner.infer.PreparedText;
import xner.infer.Tagged;

/**
 * A stand-in model for the service's tests: each text is one window of one token (its id), and a forward pass is one
 * call of {@code tagger} on the texts of its windows, so a test sees which texts went through the model together.
 */
final class TextModel implements Batcher.Model {
    private final Function<List<String>, List<Tagged>> tagger;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, String> texts = new ConcurrentHashMap<>();
    private final Map<Integer, Tagged> tagged = new ConcurrentHashMap<>();

    TextModel(Function<List<String>, List<Tagged>> tagger) {
        this.tagger = tagger;
    }

    @Override
    public PreparedText prepare(String text) {
        int id = ids.getAndIncrement();
        texts.put(id, text);
        return PreparedText.of(text, List.of(new int[] {id}));
    }

    @Override
    public float[][] forward(List<int[]> windows) {
        List<Tagged> out = tagger.apply(windows.stream().map(w -> texts.get(w[0])).toList());
        float[][] logits = new float[windows.size()][];
        for (int i = 0; i < windows.size(); i++) {
            if (out.get(i) != null) tagged.put(windows.get(i)[0], out.get(i));
            logits[i] = new float[] {windows.get(i)[0]};
        }
        return logits;
    }

    @Override
    public Tagged postprocess(PreparedText text, float[][] windowLogits) {
        int id = text.window(0)[0];
        texts.remove(id);
        return tagged.remove(id);
    }
}
