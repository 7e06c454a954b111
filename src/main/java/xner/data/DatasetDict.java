package xner.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import xner.XnerInputException;

/**
 * Named splits of one corpus in insertion order (train, validation, test), as a Hugging Face
 * {@code DatasetDict}, with a note per split where its provenance needs saying: a split taken from another
 * split, or a split that is absent and why (PAN-X.it's test has no gold tags). Immutable.
 */
public final class DatasetDict {
    private final Map<String, Dataset> splits;
    private final Map<String, String> notes;

    private DatasetDict(Map<String, Dataset> splits, Map<String, String> notes) {
        this.splits = Collections.unmodifiableMap(splits);
        this.notes = Collections.unmodifiableMap(notes);
    }

    public static DatasetDict empty() {
        return new DatasetDict(new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /** This dict with {@code split} added (at the end) or replaced (in place). */
    public DatasetDict with(String split, Dataset data) {
        Map<String, Dataset> copy = new LinkedHashMap<>(splits);
        copy.put(split, data);
        return new DatasetDict(copy, notes);
    }

    /** This dict with a note on {@code split}, which may be present or absent. */
    public DatasetDict withNote(String split, String note) {
        Map<String, String> copy = new LinkedHashMap<>(notes);
        copy.put(split, note);
        return new DatasetDict(splits, copy);
    }

    /** The split's dataset; an absent split is an error that names the splits present and the split's note. */
    public Dataset get(String split) {
        Dataset data = splits.get(split);
        if (data == null) {
            throw new XnerInputException("no split \"" + split + "\""
                    + note(split).map(n -> " (" + n + ")").orElse("")
                    + "; splits: " + String.join(", ", splits.keySet()));
        }
        return data;
    }

    public Optional<Dataset> find(String split) {
        return Optional.ofNullable(splits.get(split));
    }

    public boolean has(String split) {
        return splits.containsKey(split);
    }

    /** The split names, in order. */
    public List<String> splits() {
        return new ArrayList<>(splits.keySet());
    }

    public Optional<String> note(String split) {
        return Optional.ofNullable(notes.get(split));
    }

    /** Split → note, for the splits that have one (present or absent). */
    public Map<String, String> notes() {
        return notes;
    }

    /** Every split shuffled with {@code seed}, each by its own generator, as {@code DatasetDict.shuffle(seed=)}. */
    public DatasetDict shuffle(long seed) {
        return each(data -> data.shuffle(seed));
    }

    /** Every split passed through {@code fn}; notes are kept. */
    public DatasetDict each(UnaryOperator<Dataset> fn) {
        Map<String, Dataset> copy = new LinkedHashMap<>();
        splits.forEach((name, data) -> copy.put(name, fn.apply(data)));
        return new DatasetDict(copy, notes);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        splits.forEach((name, data) ->
                parts.add(name + ": " + data.size() + note(name).map(n -> " (" + n + ")").orElse("")));
        notes.forEach((name, note) -> {
            if (!splits.containsKey(name)) parts.add(name + ": absent (" + note + ")");
        });
        return "DatasetDict{" + String.join(", ", parts) + "}";
    }
}
