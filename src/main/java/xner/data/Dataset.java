package xner.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import xner.XnerInputException;

/**
 * An immutable, ordered list of tagged sentences with the label set their tags come from: one split of a
 * corpus, in the manner of a Hugging Face {@code datasets.Dataset} whose {@code ner_tags} feature is a
 * {@code ClassLabel}. Every operation returns a new dataset and shares the sentences (they are immutable).
 *
 * <pre>
 *   Dataset train = Dataset.read(new PanxReader(), Path.of("panx/de/train"));
 *   Dataset swiss = train.shuffle(0).take(12580);   // ds.shuffle(seed=0).select(range(12580))
 * </pre>
 */
public final class Dataset implements Iterable<Sentence> {
    private final List<Sentence> sentences;
    private final LabelSet labels;

    private Dataset(List<Sentence> sentences, LabelSet labels) {
        this.sentences = Collections.unmodifiableList(sentences);
        this.labels = labels;
    }

    /** A dataset of {@code sentences}, each tag checked against {@code labels}. */
    public static Dataset of(List<Sentence> sentences, LabelSet labels) {
        List<Sentence> copy = new ArrayList<>(sentences);
        for (Sentence s : copy) check(s, labels);
        return new Dataset(copy, labels);
    }

    /** The sentences of {@code file} as {@code reader} reads them, with the reader's label set. */
    public static Dataset read(PanxReader reader, Path file) {
        return new Dataset(new ArrayList<>(reader.read(file)), reader.labels());
    }

    /** The datasets one after the other ({@code datasets.concatenate_datasets}); their label sets must be equal. */
    public static Dataset concatenate(List<Dataset> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to concatenate");
        LabelSet labels = parts.get(0).labels;
        List<Sentence> all = new ArrayList<>();
        for (Dataset part : parts) {
            if (!part.labels.equals(labels)) {
                throw new IllegalArgumentException("cannot concatenate datasets with different label sets: "
                        + labels.names() + " and " + part.labels.names());
            }
            all.addAll(part.sentences);
        }
        return new Dataset(all, labels);
    }

    public static Dataset concatenate(Dataset... parts) {
        return concatenate(Arrays.asList(parts));
    }

    public LabelSet labels() {
        return labels;
    }

    public int size() {
        return sentences.size();
    }

    public Sentence get(int index) {
        return sentences.get(index);
    }

    /** The sentences, as an unmodifiable list. */
    public List<Sentence> sentences() {
        return sentences;
    }

    @Override
    public Iterator<Sentence> iterator() {
        return sentences.iterator();
    }

    public Stream<Sentence> stream() {
        return sentences.stream();
    }

    /**
     * The sentences in Hugging Face's shuffled order: {@code Dataset.shuffle(seed=seed)}, which is
     * {@code select(numpy.random.default_rng(seed).permutation(len))}, reproduced bit for bit.
     */
    public Dataset shuffle(long seed) {
        return select(new NumpyGenerator(seed).permutation(size()));
    }

    /** The sentences at {@code indices}, in that order ({@code Dataset.select}); an index may repeat. */
    public Dataset select(int[] indices) {
        List<Sentence> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("index " + i + " out of range for a dataset of " + size());
            }
            picked.add(sentences.get(i));
        }
        return new Dataset(picked, labels);
    }

    /** The sentences {@code from} (inclusive) to {@code to} (exclusive): {@code select(range(from, to))}. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to < from || to > size()) {
            throw new IndexOutOfBoundsException("range " + from + ".." + to + " out of bounds for a dataset of " + size());
        }
        return new Dataset(new ArrayList<>(sentences.subList(from, to)), labels);
    }

    /** The first {@code n} sentences: {@code select(range(n))}; {@code n} must not exceed the size. */
    public Dataset take(int n) {
        return slice(0, n);
    }

    /** All but the first {@code n} sentences. */
    public Dataset skip(int n) {
        return slice(n, size());
    }

    /** Each sentence replaced by {@code fn}'s result ({@code Dataset.map}); the results' tags are checked. */
    public Dataset map(UnaryOperator<Sentence> fn) {
        List<Sentence> mapped = new ArrayList<>(size());
        for (Sentence s : sentences) {
            Sentence result = fn.apply(s);
            check(result, labels);
            mapped.add(result);
        }
        return new Dataset(mapped, labels);
    }

    /** The sentences {@code keep} accepts, in order ({@code Dataset.filter}). */
    public Dataset filter(Predicate<Sentence> keep) {
        List<Sentence> kept = new ArrayList<>();
        for (Sentence s : sentences) if (keep.test(s)) kept.add(s);
        return new Dataset(kept, labels);
    }

    /**
     * Entities per type, counted as the chapter counts them: one per {@code B-} tag. Types appear in the
     * label set's order, with 0 for a type that does not occur.
     */
    public Map<String, Integer> entityCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String type : labels.entityTypes()) counts.put(type, 0);
        for (Sentence s : sentences) {
            for (String tag : s.tags()) {
                if (tag.startsWith("B-")) counts.merge(tag.substring(2), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Dataset(" + size() + " sentences, labels " + String.join(" ", labels.names()) + ")";
    }

    private static void check(Sentence s, LabelSet labels) {
        for (String tag : s.tags()) {
            if (!labels.contains(tag)) throw new XnerInputException(s.source().at(CorpusErrors.unknownTag(tag, labels)));
        }
    }
}
