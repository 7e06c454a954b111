package xner.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import xner.XnerInputException;
import xner.model.MaskedLanguageModel;
import xner.tokenize.Tokenizer;

/**
 * Fill-mask prediction, as transformers' {@code fill-mask} pipeline: the most probable tokens at each mask token
 * ({@code [MASK]}, {@code <mask>} for XLM-R) of a text.
 *
 * <pre>
 *   try (Tokenizer tokenizer = Tokenizers.load(dir); MaskedLanguageModel model = MaskedLanguageModel.load(dir)) {
 *       List&lt;Mask&gt; masks = new FillMask(tokenizer, model).fill("Paris is the capital of [MASK] .");
 *       // one mask at token 6: France 0.327, Paris 0.193, ...
 *   }
 * </pre>
 *
 * <p>Built over the model alone, it takes token ids and mask positions instead of a text.
 */
public final class FillMask {
    /** Guesses per mask when none is given, as transformers' {@code top_k}. */
    public static final int DEFAULT_TOP_K = 5;

    /** One candidate for a masked position: a token id and its softmax probability over the vocabulary. */
    public record Guess(int tokenId, double probability) {
        public Guess {
            if (tokenId < 0) throw new IllegalArgumentException("token id must not be negative, was " + tokenId);
        }
    }

    /**
     * The guesses for one mask token of a text.
     *
     * @param position the mask's index among the text's tokens, special tokens included
     * @param guesses  the most probable tokens there, most probable first
     */
    public record Mask(int position, List<Guess> guesses) {
        public Mask {
            guesses = List.copyOf(guesses);
        }
    }

    private final Tokenizer tokenizer; // null when built over the model alone
    private final MaskedLanguageModel model;

    /** Fill-mask over token ids: {@link #fill(int[], int[], int)}. */
    public FillMask(MaskedLanguageModel model) {
        this(null, model);
    }

    /** Fill-mask over texts, tokenized by {@code tokenizer}; neither is owned (the caller closes them). */
    public FillMask(Tokenizer tokenizer, MaskedLanguageModel model) {
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /** The {@value #DEFAULT_TOP_K} most probable tokens at each mask token of {@code text}. */
    public List<Mask> fill(String text) {
        return fill(text, DEFAULT_TOP_K);
    }

    /**
     * The {@code k} most probable tokens at each mask token of {@code text}, masks in text order; an
     * {@link XnerInputException} when the text has none.
     */
    public List<Mask> fill(String text, int k) {
        if (tokenizer == null) throw new IllegalStateException("this FillMask was built without a tokenizer: give it token ids");
        int[] ids = tokenizer.encode(text).idArray();
        int maskId = tokenizer.maskId();
        int[] masks = IntStream.range(0, ids.length).filter(i -> ids[i] == maskId).toArray();
        if (masks.length == 0) throw new XnerInputException("no " + tokenizer.maskToken() + " in \"" + text + "\"");
        List<List<Guess>> guesses = fill(ids, masks, k);
        List<Mask> out = new ArrayList<>(masks.length);
        for (int m = 0; m < masks.length; m++) out.add(new Mask(masks[m], guesses.get(m)));
        return out;
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
