package xner.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import xner.data.LabelSet;

/**
 * A text with the model's label probabilities for each of its tokens: the pipeline's output after the
 * forward pass and softmax, before aggregation. Every answer is derived from it: the tag per token (the
 * chapter's {@code tag_text} table), per-token predictions, entities, a tag per word.
 *
 * <pre>
 *   Tagged t = pipeline.tag("Jeff Dean ist ein Informatiker bei Google in Kalifornien");
 *   t.predict(Aggregation.FIRST);   // [EntityGroup[PER, 0.99, Jeff Dean, 0, 9], ...]
 * </pre>
 *
 * @param text   the text tagged (for pre-split words: the words joined by single spaces)
 * @param tokens every token of the encoding in order, special tokens included
 * @param labels the model's labels, indexed as each token's probabilities
 */
public record Tagged(String text, List<TaggedToken> tokens, LabelSet labels) {
    public Tagged {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        tokens = List.copyOf(tokens);
        for (TaggedToken t : tokens) {
            if (t.end() > text.length()) {
                throw new IllegalArgumentException("token " + t.index() + " ends at " + t.end() + ", past the text's "
                        + text.length() + " characters");
            }
            if (t.labelCount() != labels.size()) {
                throw new IllegalArgumentException("token " + t.index() + " has " + t.labelCount()
                        + " probabilities for " + labels.size() + " labels");
            }
        }
    }

    /** The most probable tag of each token, special tokens included: the chapter's {@code tag_text} row. */
    public List<String> tokenTags() {
        List<String> tags = new ArrayList<>(tokens.size());
        for (TaggedToken t : tokens) tags.add(labels.name(t.best()));
        return tags;
    }

    /** The token strings, special tokens included. */
    public List<String> tokenStrings() {
        return tokens.stream().map(TaggedToken::token).toList();
    }

    /** What transformers' pipeline returns for this text with {@code aggregation}, {@code O} left out. */
    public List<Prediction> predict(Aggregation aggregation) {
        return aggregation.group(this, Aggregation.IGNORED_BY_DEFAULT);
    }

    /** As {@link #predict(Aggregation)}, leaving out the labels or entity types in {@code ignoreLabels}. */
    public List<Prediction> predict(Aggregation aggregation, Set<String> ignoreLabels) {
        return aggregation.group(this, ignoreLabels);
    }

    /**
     * As {@link #predict(Aggregation, Set)}, leaving out the predictions scored below {@code minScore} (0 keeps all):
     * with a calibrated model ({@link xner.model.BertConfig#temperature}), a threshold of 0.9 keeps what is right about
     * nine times in ten or more.
     */
    public List<Prediction> predict(Aggregation aggregation, Set<String> ignoreLabels, double minScore) {
        List<Prediction> all = aggregation.group(this, ignoreLabels);
        return minScore <= 0 ? all : all.stream().filter(p -> p.score() >= minScore).toList();
    }

    /** One tag per word, decided by a word-level {@code aggregation} ({@code O} words included). */
    public List<TaggedWord> words(Aggregation aggregation) {
        return aggregation.words(this);
    }
}
