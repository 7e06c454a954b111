package xner.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xner.data.Dataset;
import xner.data.Sentence;

/**
 * One sentence ready for the model: its sub-token ids and the aligned label ids (-100 where no label).
 *
 * <p>The constructor copies the arrays; the accessors hand out the record's own, not copies, because
 * {@link Batch#collate} reads them token by token every training step: read them, never write them.
 * Equality, hash code and {@code toString} are by the arrays' contents.
 *
 * @param ids      token ids with the special tokens
 * @param labels   one label id per token, {@link LabelAligner#IGNORE} for special tokens and later sub-tokens
 * @param words    per token, the index in the sentence of the word whose label it carries, -1 where {@code labels}
 *                 has none: a word without a sub-token (cut off, or nothing to the tokenizer) is nowhere here
 * @param sentence the sentence it came from
 */
public record Example(int[] ids, int[] labels, int[] words, Sentence sentence) {
    public Example {
        if (ids.length != labels.length || ids.length != words.length) {
            throw new IllegalArgumentException(sentence.source().at(ids.length + " ids but " + labels.length + " labels and "
                    + words.length + " word indices"));
        }
        ids = ids.clone();
        labels = labels.clone();
        words = words.clone();
    }

    /** An example whose labelled tokens are its sentence's words in order, none missing (tests, benchmarks). */
    public Example(int[] ids, int[] labels, Sentence sentence) {
        this(ids, labels, inOrder(labels), sentence);
    }

    private static int[] inOrder(int[] labels) {
        int[] words = new int[labels.length];
        int next = 0;
        for (int t = 0; t < labels.length; t++) words[t] = labels[t] == LabelAligner.IGNORE ? -1 : next++;
        return words;
    }

    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && Arrays.equals(ids, e.ids) && Arrays.equals(labels, e.labels)
                && Arrays.equals(words, e.words) && sentence.equals(e.sentence);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(labels)) + sentence.hashCode();
    }

    @Override
    public String toString() {
        return "Example[ids=" + Arrays.toString(ids) + ", labels=" + Arrays.toString(labels)
                + ", sentence=" + sentence + "]";
    }

    /** Tokenizes every sentence of {@code data} into words' sub-tokens and aligns its tags, as the chapter's
     * {@code tokenize_and_align_labels} mapped over a dataset. */
    public static List<Example> encode(Dataset data, Tokenizer tokenizer, LabelAligner aligner) {
        List<Example> examples = new ArrayList<>(data.size());
        for (Sentence sentence : data) {
            Encoding encoding = tokenizer.encodeWords(sentence.words());
            int[] ids = encoding.idArray();
            int[] labels = aligner.align(encoding, sentence).stream().mapToInt(Integer::intValue).toArray();
            int[] words = new int[ids.length];
            for (int t = 0; t < ids.length; t++) words[t] = labels[t] == LabelAligner.IGNORE ? -1 : encoding.wordIds().get(t);
            examples.add(new Example(ids, labels, words, sentence));
        }
        return examples;
    }
}
