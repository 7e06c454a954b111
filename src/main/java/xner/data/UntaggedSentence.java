package xner.data;

import java.util.List;

/**
 * A sentence with words and no gold tags, as in PAN-X's {@code test.untagged}: input for tagging, never for
 * scoring.
 *
 * @param tokens the words, in order
 * @param source the file and the line the sentence starts on
 */
public record UntaggedSentence(List<String> tokens, Source source) {
    public UntaggedSentence {
        tokens = List.copyOf(tokens);
        if (source == null) throw new IllegalArgumentException("source must not be null");
    }

    public int size() {
        return tokens.size();
    }
}
