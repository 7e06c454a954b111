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
     * Every word of every sentence with its gold tag exactly as the data holds it, and its prediction from the sub-token
     * that carries its label; a word that has none is predicted {@code O}, so a gold entity there counts as missed
     * instead of vanishing from the score (a word cut off by the maximum length, or one the tokenizer makes nothing
     * of, such as a lone U+200B).
     *
     * @param predictedIds the argmax label id per sub-token, one row per sentence
     * @param wordOfToken  per sub-token, the index of the word whose label it carries, -1 for the others
     * @param goldWords    every word's gold tag, one list per sentence
     */
    public static WordTags ofWords(int[][] predictedIds, int[][] wordOfToken, List<List<String>> goldWords, LabelSet labels) {
        if (predictedIds.length != wordOfToken.length || predictedIds.length != goldWords.size()) {
            throw new IllegalArgumentException(predictedIds.length + " prediction rows, " + wordOfToken.length + " word rows, "
                    + goldWords.size() + " sentences");
        }
        List<List<String>> predicted = new ArrayList<>(goldWords.size());
        for (int i = 0; i < goldWords.size(); i++) {
            String[] p = new String[goldWords.get(i).size()];
            java.util.Arrays.fill(p, "O");
            for (int t = 0; t < wordOfToken[i].length; t++) {
                if (wordOfToken[i][t] >= 0) p[wordOfToken[i][t]] = labels.name(predictedIds[i][t]);
            }
            predicted.add(List.of(p));
        }
        return new WordTags(goldWords, predicted);
    }

    /** How many words have no sub-token that carries their label: those {@link #ofWords} predicts {@code O} unseen. */
    public static int wordsWithoutTokens(int[][] wordOfToken, List<List<String>> goldWords) {
        int missing = 0;
        for (int i = 0; i < goldWords.size(); i++) {
            boolean[] seen = new boolean[goldWords.get(i).size()];
            for (int w : wordOfToken[i]) if (w >= 0) seen[w] = true;
            for (boolean s : seen) if (!s) missing++;
        }
        return missing;
    }

    public EntityScores score() {
        return EntityScorer.score(gold, predicted);
    }

    /** seqeval's scores in its strict mode (IOB2) when {@code strict}, else in its default mode. */
    public EntityScores score(boolean strict) {
        return EntityScorer.score(gold, predicted, strict);
    }
}
