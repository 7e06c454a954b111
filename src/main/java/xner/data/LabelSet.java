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

    /** {@code O}, then {@code B-X} and {@code I-X} for each type in the order given (IOB2, as training reads tags). */
    public static LabelSet iob2(List<String> types) {
        List<String> names = new java.util.ArrayList<>(List.of("O"));
        for (String t : types) {
            names.add("B-" + t);
            names.add("I-" + t);
        }
        return new LabelSet(names);
    }

    /**
     * The IOB2 label set of the types tagged in {@code sentences}: {@code O} first, then PAN-X's types in
     * PAN-X's order ({@code PER, ORG, LOC}) where the data has them, then every other type sorted by name.
     * Unlike {@code run_ner.py}, which sorts the tag strings (and so puts {@code O} last), this keeps the ids
     * of PAN-X's tags and of {@code datasets}' CoNLL label sets, so a PAN-X model adapted to a user's data
     * keeps its head rows where they were; and the order never depends on which file or sentence came first.
     */
    public static LabelSet fromData(Iterable<Sentence> sentences) {
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (Sentence s : sentences) {
            for (String tag : s.tags()) if (!tag.equals("O") && tag.length() > 2) types.add(tag.substring(2));
        }
        List<String> ordered = new java.util.ArrayList<>();
        for (String t : PANX.entityTypes()) if (types.remove(t)) ordered.add(t);
        ordered.addAll(types);
        return iob2(ordered);
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
