package xner.data;

import java.util.List;

/**
 * One sentence of a NER corpus: its words and one IOB2 tag per word (as names, e.g. {@code B-LOC}), and
 * where it was read.
 *
 * @param words  the words, as the corpus splits them (the {@code tokens} column of Hugging Face's PAN-X; xner
 *               keeps "token" for the tokenizer's sub-words, {@link xner.tokenize.Encoding#tokens()})
 * @param tags   one tag name per word
 * @param source the file and the line the sentence starts on
 */
public record Sentence(List<String> words, List<String> tags, Source source) {
    public Sentence {
        words = List.copyOf(words);
        tags = List.copyOf(tags);
        if (source == null) throw new IllegalArgumentException("source must not be null");
        if (words.size() != tags.size()) {
            throw new IllegalArgumentException(source.at(words.size() + " words but " + tags.size() + " tags"));
        }
    }

    public int size() {
        return words.size();
    }
}
