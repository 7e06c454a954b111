package xner.data;

import java.util.List;

/**
 * A sentence as a user's file writes it, before its tags are converted to IOB2, mapped and checked against a
 * label set: words, tags as written, and where each word was read (its own line in CoNLL columns, the
 * record's line in JSON Lines), so that a bad tag found later still names its line.
 *
 * @param tokens  the words
 * @param tags    one tag per word, as written
 * @param sources one source per word
 */
public record RawSentence(List<String> tokens, List<String> tags, List<Source> sources) {
    public RawSentence {
        tokens = List.copyOf(tokens);
        tags = List.copyOf(tags);
        sources = List.copyOf(sources);
        if (tokens.isEmpty()) throw new IllegalArgumentException("a sentence needs at least one word");
        if (tokens.size() != tags.size() || tokens.size() != sources.size()) {
            throw new IllegalArgumentException(sources.get(0).at(tokens.size() + " tokens, " + tags.size() + " tags, "
                    + sources.size() + " sources"));
        }
    }

    public int size() {
        return tokens.size();
    }

    /** Where the sentence starts. */
    public Source source() {
        return sources.get(0);
    }
}
