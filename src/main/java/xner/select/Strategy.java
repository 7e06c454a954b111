package xner.select;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import xner.XnerInputException;
import xner.infer.Tagged;
import xner.infer.TaggedToken;
import xner.io.Sha256;
import xner.tokenize.Encoding;

/**
 * How a text's worth to an annotator is scored, and which end of the scores is chosen. The uncertainty strategies
 * read each word's label distribution at its first sub-token, the one that carries the word's tag in training and
 * in the pipeline's {@code first} aggregation:
 * <ul>
 * <li>{@link #MNLP}: maximum normalised log-probability (Shen et al. 2018, "Deep Active Learning for Named Entity
 *     Recognition"): the log-probability of the most probable tag sequence divided by its length. A softmax
 *     classifier (no CRF) decides each word alone, so this is the mean over words of {@code log max_y p(y)}; the
 *     lowest, the text the model is least sure of, is chosen first. Dividing by the length keeps long texts from
 *     being chosen only for being long.</li>
 * <li>{@link #ENTROPY}: the mean over words of the entropy of the label distribution, in nats; the highest is
 *     chosen first.</li>
 * <li>{@link #RANDOM}: a key drawn for each distinct text from the seed and the text alone, so a text repeated in
 *     the pool has one chance, and the same pool and seed choose the same texts in any order; the lowest keys are
 *     chosen. The model scores no text, it only pre-annotates those chosen.</li>
 * </ul>
 */
public enum Strategy {
    MNLP, ENTROPY, RANDOM;

    /** The strategy called {@code name} (any case); {@code option} names where it was read. */
    public static Strategy parse(String name, String option) {
        for (Strategy s : values()) if (s.name().equalsIgnoreCase(name == null ? "" : name.strip())) return s;
        throw new XnerInputException(option + ": expected mnlp, entropy or random, got \"" + name + "\"");
    }

    /** The name the option takes: {@code mnlp}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this strategy needs the model's probabilities of every text of the pool (all but random). */
    public boolean scoresWithTheModel() {
        return this != RANDOM;
    }

    /** Scores in the order they are chosen: the lowest first, but for entropy the highest. */
    public Comparator<Double> chosenFirst() {
        return this == ENTROPY ? Comparator.<Double>reverseOrder() : Comparator.<Double>naturalOrder();
    }

    /**
     * The score of a tagged text (mnlp, entropy); NaN when it has no word.
     *
     * @throws IllegalStateException for random, whose score is {@link #randomKey}
     */
    public double score(Tagged tagged) {
        List<TaggedToken> words = firstSubTokens(tagged);
        if (words.isEmpty()) return Double.NaN;
        double sum = 0;
        for (TaggedToken t : words) {
            switch (this) {
                case MNLP -> sum += Math.log(t.probability(t.best()));
                case ENTROPY -> {
                    for (int i = 0; i < t.labelCount(); i++) {
                        double p = t.probability(i);
                        if (p > 0) sum -= p * Math.log(p); // 0 · log 0 is 0
                    }
                }
                case RANDOM -> throw new IllegalStateException("random draws a key from the text, not from the model");
            }
        }
        return sum / words.size();
    }

    /**
     * The random strategy's key of {@code text}: uniform in [0, 1), from SHA-256 of the seed and the text's UTF-8
     * bytes, so it depends on nothing else (not the text's place in the pool, not the other texts).
     */
    public static double randomKey(long seed, String text) {
        MessageDigest digest = Sha256.digest();
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        byte[] hash = digest.digest(text.getBytes(StandardCharsets.UTF_8));
        long bits = ByteBuffer.wrap(hash).getLong();
        return (bits >>> 11) * 0x1.0p-53; // the top 53 bits: a double's mantissa
    }

    /**
     * The first sub-token of each word, special tokens left out: a word is a run of tokens with one word id, as the
     * pipeline's word-level aggregation groups them (a token without a word id is a word alone).
     */
    static List<TaggedToken> firstSubTokens(Tagged tagged) {
        List<TaggedToken> firsts = new ArrayList<>();
        TaggedToken previous = null;
        for (TaggedToken t : tagged.tokens()) {
            if (t.special()) continue;
            boolean continues = previous != null && t.wordId() != Encoding.NO_WORD && t.wordId() == previous.wordId();
            if (!continues) firsts.add(t);
            previous = t;
        }
        return firsts;
    }
}
