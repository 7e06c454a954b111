package xner.data;

import java.util.List;

/**
 * The tag names of a corpus in a fixed index order, as Hugging Face's {@code ClassLabel}: the index is the
 * id a model predicts, and it is frozen into a model's {@code config.json} as {@code id2label}.
 * Two label sets are equal when their names are equal, in order.
 */
public record LabelSet(List<String> names) {
    /** PAN-X's tags in the order of the Hugging Face {@code xtreme} dataset's {@code ClassLabel}. */
    public static final LabelSet PANX = new LabelSet(List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"));

    public LabelSet {
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException("a label set needs at least one name");
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("duplicate label names in " + names);
        }
    }

    /** The id of {@code name}, or -1 when it is not in this set. */
    public int indexOf(String name) {
        return names.indexOf(name); // label sets are small: a scan beats keeping a map in a record
    }

    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    public String name(int id) {
        return names.get(id);
    }

    public int size() {
        return names.size();
    }

    /** The entity types, in order of first appearance ({@code PER, ORG, LOC} for PAN-X). */
    public List<String> entityTypes() {
        return names.stream().filter(n -> n.length() > 2 && n.charAt(1) == '-').map(n -> n.substring(2)).distinct().toList();
    }
}
