package xner.data;

import java.util.List;

/**
 * One sentence of a NER corpus: its words and one IOB2 tag per word (as names, e.g. {@code B-LOC}), and
 * where it was read.
 *
 * @param tokens the words, as the corpus splits them
 * @param tags   one tag name per word
 * @param source the file and the line the sentence starts on
 */
public record Sentence(List<String> tokens, List<String> tags, Source source) {
    public Sentence {
        tokens = List.copyOf(tokens);
        tags = List.copyOf(tags);
        if (source == null) throw new IllegalArgumentException("source must not be null");
        if (tokens.size() != tags.size()) {
            throw new IllegalArgumentException(source.at(tokens.size() + " tokens but " + tags.size() + " tags"));
        }
    }

    public int size() {
        return tokens.size();
    }
}
