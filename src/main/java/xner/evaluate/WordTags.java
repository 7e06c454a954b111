package xner.evaluate;

import java.util.ArrayList;
import java.util.List;
import xner.data.LabelSet;

/**
 * Gold and predicted tags per word, recovered from sub-token predictions as the chapter's
 * {@code align_predictions} does: positions whose label is -100 (special tokens, later sub-tokens of a
 * word, padding) are dropped, so each remaining position is one word's first sub-token.
 *
 * @param gold      gold tags, one list per sentence
 * @param predicted predicted tags, parallel to {@code gold}
 */
public record WordTags(List<List<String>> gold, List<List<String>> predicted) {
    /** The label id that marks a position without a label (PyTorch's cross-entropy {@code ignore_index}). */
    public static final int IGNORE = xner.tokenize.LabelAligner.IGNORE;

    public WordTags {
        gold = gold.stream().map(List::copyOf).toList();
        predicted = predicted.stream().map(List::copyOf).toList();
    }

    /**
     * @param predictedIds the argmax label id per sub-token, one row per sentence
     * @param labelIds     the aligned label id per sub-token ({@link #IGNORE} where none), same shape
     */
    public static WordTags align(int[][] predictedIds, int[][] labelIds, LabelSet labels) {
        if (predictedIds.length != labelIds.length) {
            throw new IllegalArgumentException(predictedIds.length + " prediction rows but " + labelIds.length + " label rows");
        }
        List<List<String>> gold = new ArrayList<>();
        List<List<String>> predicted = new ArrayList<>();
        for (int i = 0; i < labelIds.length; i++) {
            List<String> g = new ArrayList<>();
            List<String> p = new ArrayList<>();
            for (int j = 0; j < labelIds[i].length; j++) {
                if (labelIds[i][j] == IGNORE) continue;
                g.add(labels.name(labelIds[i][j]));
                p.add(labels.name(predictedIds[i][j]));
            }
            gold.add(g);
            predicted.add(p);
        }
        return new WordTags(gold, predicted);
    }

    /**
     * These tags with the words that the tokenizer's truncation cut off added back: each keeps its gold tag
     * and is predicted {@code O} (the model never saw it), so a gold entity there counts as missed instead of
     * vanishing from the score. {@code goldWords} holds every word's gold tag, one list per sentence.
     */
    public WordTags withTruncatedWords(List<List<String>> goldWords) {
        if (goldWords.size() != gold.size()) {
            throw new IllegalArgumentException(goldWords.size() + " sentences but " + gold.size() + " rows");
        }
        List<List<String>> g = new ArrayList<>(gold);
        List<List<String>> p = new ArrayList<>(predicted);
        for (int i = 0; i < gold.size(); i++) {
            int scored = gold.get(i).size();
            List<String> all = goldWords.get(i);
            if (scored >= all.size()) continue;
            List<String> gi = new ArrayList<>(gold.get(i));
            List<String> pi = new ArrayList<>(predicted.get(i));
            for (int k = scored; k < all.size(); k++) {
                gi.add(all.get(k));
                pi.add("O");
            }
            g.set(i, gi);
            p.set(i, pi);
        }
        return new WordTags(g, p);
    }

    public EntityScores score() {
        return EntityScorer.score(gold, predicted);
    }

    /** seqeval's scores in its strict mode (IOB2) when {@code strict}, else in its default mode. */
    public EntityScores score(boolean strict) {
        return EntityScorer.score(gold, predicted, strict);
    }
}
