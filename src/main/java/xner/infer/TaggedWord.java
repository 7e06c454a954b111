package xner.infer;

/**
 * The tag decided for one word from its sub-tokens (aggregation {@code first}, {@code average} or {@code max}):
 * the unit of a CoNLL file's lines.
 *
 * @param wordIndex the word's index: into the words given, or the tokenizer's pre-tokenized words of a text
 * @param word      {@code text.substring(start, end)}
 * @param tag       the decided tag ({@code B-PER}, {@code O})
 * @param score     its probability (first sub-token's, averaged, or the most confident sub-token's)
 * @param start     UTF-16 index of the first character
 * @param end       UTF-16 index after the last character
 */
public record TaggedWord(int wordIndex, String word, String tag, double score, int start, int end) {
    public TaggedWord {
        if (wordIndex < 0) throw new IllegalArgumentException("negative word index " + wordIndex);
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }
}
