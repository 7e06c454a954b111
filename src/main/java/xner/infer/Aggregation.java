package xner.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import xner.XnerInputException;
import xner.tokenize.Encoding;

/**
 * How per-token predictions become the pipeline's answer, with the semantics of transformers'
 * {@code AggregationStrategy}. Scores are softmax probabilities; labels in the ignore set ({@code O} by
 * default) are left out at the end.
 *
 * <p>Take "Microsoft" tokenized as {@code Micro ##soft}, where the model tags {@code Micro} B-ORG (0.6) and
 * {@code ##soft} B-PER (0.9):
 * <ul>
 * <li>{@link #NONE}: one prediction per token: B-ORG "Micro", B-PER "soft".
 * <li>{@link #SIMPLE}: consecutive tokens grouped by type, B-X I-X I-X → one X; two B- never merge; a word
 *     can be split: ORG "Micro", PER "soft".
 * <li>{@link #FIRST}: each word takes its first sub-token's label, then words are grouped as in SIMPLE:
 *     ORG "Microsoft" 0.6.
 * <li>{@link #AVERAGE}: each word takes the label with the highest mean probability over its sub-tokens.
 * <li>{@link #MAX}: each word takes the label of its most confident sub-token: PER "Microsoft" 0.9.
 * </ul>
 * Sub-tokens of a word are the tokens that share the {@link Encoding}'s word id, never guessed from spaces.
 * An entity's score is the mean of its tokens' (SIMPLE) or words' scores.
 */
public enum Aggregation {
    NONE, SIMPLE, FIRST, AVERAGE, MAX;

    /** transformers' default {@code ignore_labels}. */
    public static final Set<String> IGNORED_BY_DEFAULT = Set.of("O");

    /** The strategy called {@code name} (any case), as a user types it; {@code field} names where it was read. */
    public static Aggregation parse(String name, String field) {
        for (Aggregation a : values()) if (a.name().equalsIgnoreCase(name == null ? "" : name.strip())) return a;
        throw new XnerInputException(field + ": unknown aggregation strategy \"" + name
                + "\" (expected none, simple, first, average or max)");
    }

    /** The name transformers uses: {@code first}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a word's label is decided from all its sub-tokens (FIRST, AVERAGE, MAX). */
    public boolean wordLevel() {
        return this == FIRST || this == AVERAGE || this == MAX;
    }

    /** The pipeline's answer for {@code tagged}: {@link TokenPrediction}s for NONE, else {@link EntityGroup}s. */
    public List<Prediction> group(Tagged tagged, Set<String> ignoreLabels) {
        String text = tagged.text();
        List<Prediction> out = new ArrayList<>();
        if (this == NONE) {
            for (TaggedToken t : tagged.tokens()) {
                if (t.special()) continue;
                int best = t.best();
                String label = tagged.labels().name(best);
                if (ignoreLabels.contains(label)) continue;
                out.add(new TokenPrediction(label, t.probability(best), t.index(), text.substring(t.start(), t.end()),
                        t.start(), t.end()));
            }
            return out;
        }
        List<Scored> units = new ArrayList<>();
        if (this == SIMPLE) {
            for (TaggedToken t : tagged.tokens()) {
                if (t.special()) continue;
                int best = t.best();
                units.add(new Scored(tagged.labels().name(best), t.probability(best), t.start(), t.end()));
            }
        } else {
            for (List<TaggedToken> word : words(tagged.tokens())) {
                Decision d = decide(word);
                units.add(new Scored(tagged.labels().name(d.label()), d.score(), word.get(0).start(),
                        word.get(word.size() - 1).end()));
            }
        }
        for (EntityGroup g : groupEntities(units, text)) {
            if (!ignoreLabels.contains(g.entityGroup())) out.add(g);
        }
        return out;
    }

    /**
     * One tag per word of {@code tagged}, decided by this word-level strategy; {@code O} words included.
     *
     * @throws XnerInputException for NONE and SIMPLE, which decide per token, not per word
     */
    public List<TaggedWord> words(Tagged tagged) {
        if (!wordLevel()) {
            throw new XnerInputException("aggregation " + wireName()
                    + " tags tokens, not words: one tag per word needs first, average or max");
        }
        List<TaggedWord> out = new ArrayList<>();
        for (List<TaggedToken> word : words(tagged.tokens())) {
            int id = word.get(0).wordId();
            if (id == Encoding.NO_WORD) continue;
            Decision d = decide(word);
            int start = word.get(0).start();
            int end = word.get(word.size() - 1).end();
            out.add(new TaggedWord(id, tagged.text().substring(start, end), tagged.labels().name(d.label()), d.score(), start, end));
        }
        return out;
    }

    /** A label id and its score, decided for one word. */
    private record Decision(int label, double score) {}

    /** A token or word with its label, before grouping. */
    private record Scored(String label, double score, int start, int end) {}

    /** transformers' {@code aggregate_word}: one label for a word's sub-tokens. */
    private Decision decide(List<TaggedToken> word) {
        switch (this) {
            case FIRST -> {
                TaggedToken first = word.get(0);
                return new Decision(first.best(), first.probability(first.best()));
            }
            case MAX -> {
                // the sub-token whose top probability is highest; the first one on a tie, as Python's max()
                TaggedToken top = word.get(0);
                for (TaggedToken t : word) if (t.probability(t.best()) > top.probability(top.best())) top = t;
                return new Decision(top.best(), top.probability(top.best()));
            }
            case AVERAGE -> {
                double[] mean = new double[word.get(0).labelCount()];
                for (TaggedToken t : word) for (int i = 0; i < mean.length; i++) mean[i] += t.probability(i) / word.size();
                int best = TaggedToken.argmax(mean);
                return new Decision(best, mean[best]);
            }
            default -> throw new IllegalStateException(this + " decides per token, not per word");
        }
    }

    /** The non-special tokens cut into words: runs of consecutive tokens with the same word id. */
    private static List<List<TaggedToken>> words(List<TaggedToken> tokens) {
        List<List<TaggedToken>> words = new ArrayList<>();
        List<TaggedToken> current = null;
        for (TaggedToken t : tokens) {
            if (t.special()) continue;
            boolean continues = current != null && t.wordId() != Encoding.NO_WORD
                    && t.wordId() == current.get(current.size() - 1).wordId();
            if (!continues) {
                current = new ArrayList<>();
                words.add(current);
            }
            current.add(t);
        }
        return words;
    }

    /**
     * transformers' {@code group_entities}: a unit joins the group before it when it has the same type and is
     * not a B- (a label without a B-/I- prefix counts as I-); {@code O} units group too, and are dropped later.
     */
    private static List<EntityGroup> groupEntities(List<Scored> units, String text) {
        List<EntityGroup> groups = new ArrayList<>();
        List<Scored> current = new ArrayList<>();
        for (Scored u : units) {
            if (!current.isEmpty()) {
                Scored last = current.get(current.size() - 1);
                boolean joins = type(u.label()).equals(type(last.label())) && !u.label().startsWith("B-");
                if (!joins) {
                    groups.add(entity(current, text));
                    current = new ArrayList<>();
                }
            }
            current.add(u);
        }
        if (!current.isEmpty()) groups.add(entity(current, text));
        return groups;
    }

    private static String type(String label) {
        return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
    }

    /** transformers' {@code group_sub_entities}: the first unit's type (after its first "-"), the mean score. */
    private static EntityGroup entity(List<Scored> units, String text) {
        String label = units.get(0).label();
        int dash = label.indexOf('-');
        String group = dash < 0 ? label : label.substring(dash + 1);
        double sum = 0;
        for (Scored u : units) sum += u.score();
        int start = units.get(0).start();
        int end = units.get(units.size() - 1).end();
        return new EntityGroup(group, sum / units.size(), text.substring(start, end), start, end);
    }
}
