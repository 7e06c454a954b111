package xner.tokenize;

import java.util.ArrayList;
import java.util.List;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.data.Sentence;

/**
 * Puts word labels on sub-tokens for token classification, as the chapter's {@code tokenize_and_align_labels}:
 * the first sub-token of each word gets the word's label id; the following sub-tokens of the word and the
 * special tokens get {@link #IGNORE} (-100), which the loss skips.
 *
 * <pre>{@code
 * Encoding e = tokenizer.encodeWords(sentence.tokens());            // Jeff Dean ist ein Informatiker
 * new LabelAligner(LabelSet.PANX).align(e, sentence);
 * // [CLS] Jeff Dean ist ein Info ##rmat ##iker [SEP]
 * // -100  1    2    0   0   0    -100  -100   -100      (B-PER=1, I-PER=2, O=0)
 * }</pre>
 *
 * <p>With {@link SubTokens#ALL} every sub-token of a word is labelled, as Hugging Face's {@code run_ner.py}
 * with {@code label_all_tokens=True}: the first sub-token gets the word's label and the following ones its
 * {@code b_to_i_label}, i.e. {@code I-X} for a {@code B-X} word (when {@code I-X} is in the label set; any
 * other label is kept), so that a word never starts two entities.
 *
 * <p>Truncation: words whose tokens were cut off by the tokenizer's maximum length get no label at all (a
 * word cut in the middle keeps the label on its first sub-token), as in Hugging Face; so does a word that
 * yields no token (e.g. made only of characters the normalizer removes). Predictions for such words must
 * come from elsewhere (the evaluation counts them as not predicted).
 */
public final class LabelAligner {
    /** The label id the loss ignores (PyTorch's and Hugging Face's {@code -100}). */
    public static final int IGNORE = -100;

    /** Which sub-tokens of a word carry the word's label. */
    public enum SubTokens {
        /** Only the first sub-token of each word (the chapter's choice). */
        FIRST,
        /** Every sub-token; the ones after the first get {@code I-X} for a {@code B-X} word ({@code run_ner.py}'s {@code label_all_tokens}). */
        ALL
    }

    private final LabelSet labels;
    private final SubTokens subTokens;
    private final int[] continuation; // label id -> label id of the sub-tokens after the first (run_ner.py's b_to_i_label)

    /** An aligner that labels the first sub-token of each word. */
    public LabelAligner(LabelSet labels) {
        this(labels, SubTokens.FIRST);
    }

    public LabelAligner(LabelSet labels, SubTokens subTokens) {
        this.labels = labels;
        this.subTokens = subTokens;
        this.continuation = new int[labels.size()];
        for (int id = 0; id < labels.size(); id++) {
            String name = labels.name(id);
            int inside = name.startsWith("B-") ? labels.indexOf("I-" + name.substring(2)) : -1;
            continuation[id] = inside >= 0 ? inside : id;
        }
    }

    /**
     * The label id of each token of {@code encoding}, given the label id of each word it was encoded from.
     *
     * @throws IllegalArgumentException when the encoding has a word id with no label or a label id is outside the label set
     */
    public List<Integer> align(Encoding encoding, List<Integer> wordLabels) {
        List<Integer> out = new ArrayList<>(encoding.size());
        int previousWord = Encoding.NO_WORD;
        for (int i = 0; i < encoding.size(); i++) {
            int word = encoding.wordIds().get(i);
            if (word == Encoding.NO_WORD) {
                out.add(IGNORE);
            } else {
                if (word >= wordLabels.size()) {
                    throw new IllegalArgumentException("token " + i + " belongs to word " + word + " but there are only "
                            + wordLabels.size() + " word labels: was the encoding made from these words?");
                }
                int label = wordLabels.get(word);
                if (label < 0 || label >= labels.size()) {
                    throw new IllegalArgumentException("label id " + label + " of word " + word + " is outside " + labels.names());
                }
                if (word != previousWord) out.add(label);
                else out.add(subTokens == SubTokens.ALL ? continuation[label] : IGNORE);
            }
            previousWord = word;
        }
        return out;
    }

    /** The label id of each token of {@code encoding}, made from {@code sentence}'s words, from its tag names. */
    public List<Integer> align(Encoding encoding, Sentence sentence) {
        List<Integer> ids = new ArrayList<>(sentence.size());
        for (String tag : sentence.tags()) {
            int id = labels.indexOf(tag);
            if (id < 0) throw new XnerInputException(sentence.source().at("tag \"" + tag + "\" is not one of " + labels.names()));
            ids.add(id);
        }
        return align(encoding, ids);
    }

    public LabelSet labels() {
        return labels;
    }

    public SubTokens subTokens() {
        return subTokens;
    }
}
