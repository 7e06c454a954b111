package xner.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import xner.model.MaskedLanguageModel;

/**
 * Fill-mask prediction, as transformers' {@code fill-mask} pipeline after tokenization: the most probable
 * tokens at each masked position of one sequence.
 *
 * <pre>
 *   FillMask fill = new FillMask(model);
 *   List&lt;Guess&gt; top = fill.fill(new int[] {101, 10728, 10124, 10105, 12185, 10108, 103, 119, 102}, 6, 5);
 *   // France 0.327, Paris 0.193, ...
 * </pre>
 */
public final class FillMask {
    /** One candidate for a masked position: a token id and its softmax probability over the vocabulary. */
    public record Guess(int tokenId, double probability) {
        public Guess {
            if (tokenId < 0) throw new IllegalArgumentException("token id must not be negative, was " + tokenId);
        }
    }

    private final MaskedLanguageModel model;

    public FillMask(MaskedLanguageModel model) {
        this.model = model;
    }

    /** The {@code k} most probable tokens at one masked position, most probable first. */
    public List<Guess> fill(int[] inputIds, int maskPosition, int k) {
        return fill(inputIds, new int[] {maskPosition}, k).get(0);
    }

    /**
     * The {@code k} most probable tokens at each of {@code maskPositions} (indices into {@code inputIds}, the
     * whole sequence with its special tokens), most probable first.
     */
    public List<List<Guess>> fill(int[] inputIds, int[] maskPositions, int k) {
        if (k < 1) throw new IllegalArgumentException("k must be positive, was " + k);
        for (int p : maskPositions) {
            if (p < 0 || p >= inputIds.length) {
                throw new IllegalArgumentException("mask position " + p + " outside the " + inputIds.length + " ids");
            }
        }
        try (NDManager call = model.parameters().manager().newSubManager()) {
            long[] ids = new long[inputIds.length];
            for (int i = 0; i < ids.length; i++) ids[i] = inputIds[i];
            long[] positions = new long[maskPositions.length];
            for (int i = 0; i < positions.length; i++) positions[i] = maskPositions[i];
            NDArray hidden = model.encoder().forward(call, call.create(new long[][] {ids}), null, null, false);
            NDArray atMasks = hidden.get(0).get(call.create(positions));                 // (masks, hidden)
            NDArray probabilities = model.head().forward(atMasks).softmax(-1);           // (masks, vocab)
            int vocab = (int) probabilities.getShape().get(1);
            float[] all = probabilities.toFloatArray();
            List<List<Guess>> out = new ArrayList<>();
            for (int m = 0; m < maskPositions.length; m++) out.add(top(all, m * vocab, vocab, k));
            return out;
        }
    }

    // the k largest of all[from, from + n), ties to the lower id
    private static List<Guess> top(float[] all, int from, int n, int k) {
        Comparator<Integer> worstFirst = Comparator.<Integer>comparingDouble(i -> all[from + i])
                .thenComparing(Comparator.<Integer>reverseOrder());
        PriorityQueue<Integer> best = new PriorityQueue<>(worstFirst);
        for (int i = 0; i < n; i++) {
            best.add(i);
            if (best.size() > k) best.poll();
        }
        List<Guess> out = new ArrayList<>();
        while (!best.isEmpty()) {
            int id = best.poll();
            out.add(0, new Guess(id, all[from + id]));
        }
        return out;
    }
}
