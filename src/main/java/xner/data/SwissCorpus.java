package xner.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xner.XnerInputException;

/**
 * The chapter's Swiss corpus: PAN-X in German, French, Italian and English, each language sampled in
 * proportion to its speakers in Switzerland. Per language and per split, the split is shuffled with the
 * seed as Hugging Face shuffles ({@link Dataset#shuffle(long)}) and its first {@code int(fraction × size)}
 * sentences kept, exactly as the chapter's
 * {@code ds[split].shuffle(seed=0).select(range(int(frac * ds[split].num_rows)))}.
 *
 * <p>A language whose source has no tagged test split (PAN-X.it in the openly mirrored copy) takes its test
 * subset from its dev split instead, disjoint from its validation subset: with k = int(fraction × dev size),
 * validation is items 0..k-1 of dev's permutation (as for every language) and test is items k..2k-1. The
 * language's {@link DatasetDict} carries a note on {@code test} saying so; {@link #testFromDev(String)}
 * tells it.
 *
 * <pre>
 *   SwissCorpus corpus = SwissCorpus.sample(new LocalPanx(dataDir), 0);
 *   Dataset deTrain = corpus.get("de").get("train");   // 12,580 sentences
 * </pre>
 */
public final class SwissCorpus {
    /** The chapter's fractions, in its order of languages. */
    public static final Map<String, Double> FRACTIONS = fractions();

    private final long seed;
    private final Map<String, DatasetDict> languages;
    private final Set<String> testFromDev;

    private SwissCorpus(long seed, Map<String, DatasetDict> languages, Set<String> testFromDev) {
        this.seed = seed;
        this.languages = Collections.unmodifiableMap(languages);
        this.testFromDev = Set.copyOf(testFromDev);
    }

    /** The corpus in all four languages. */
    public static SwissCorpus sample(PanxSource source, long seed) {
        return sample(source, seed, List.copyOf(FRACTIONS.keySet()));
    }

    /** The corpus in {@code langs} (each one of {@link #FRACTIONS}), in that order. */
    public static SwissCorpus sample(PanxSource source, long seed, List<String> langs) {
        if (seed < 0) throw new XnerInputException("seed must be >= 0 (as numpy requires), was " + seed);
        if (langs.isEmpty()) throw new XnerInputException("no language asked for; the Swiss corpus has " + known());
        Map<String, DatasetDict> subsets = new LinkedHashMap<>();
        Set<String> testFromDev = new HashSet<>();
        for (String lang : langs) { // all checked before the first file is read
            if (!FRACTIONS.containsKey(lang)) {
                throw new XnerInputException("no Swiss fraction for \"" + lang + "\"; the Swiss corpus has " + known());
            }
            if (langs.indexOf(lang) != langs.lastIndexOf(lang)) {
                throw new XnerInputException("language \"" + lang + "\" asked for twice");
            }
        }
        for (String lang : langs) {
            double fraction = FRACTIONS.get(lang);
            DatasetDict full = source.load(lang);
            if (!full.has("test") && full.has("validation")) testFromDev.add(lang);
            subsets.put(lang, subset(lang, full, fraction, seed));
        }
        return new SwissCorpus(seed, subsets, testFromDev);
    }

    /**
     * {@code int(fraction * n)} as Python computes it: the product in double precision, truncated toward zero
     * (0.29 × 100 = 28.999999999999996 gives 28).
     */
    public static int subsetSize(double fraction, int n) {
        return (int) (fraction * n);
    }

    /** One language's subset of {@code full}: every split shuffled and cut; a missing test taken from dev. */
    static DatasetDict subset(String lang, DatasetDict full, double fraction, long seed) {
        DatasetDict out = DatasetDict.empty();
        for (Map.Entry<String, String> note : full.notes().entrySet()) out = out.withNote(note.getKey(), note.getValue());
        for (String split : full.splits()) {
            Dataset data = full.get(split);
            out = out.with(split, data.shuffle(seed).take(subsetSize(fraction, data.size())));
        }
        if (full.has("test") || !full.has("validation")) return out;
        Dataset dev = full.get("validation");
        int k = subsetSize(fraction, dev.size());
        if (2 * k > dev.size()) {
            throw new XnerInputException("PAN-X." + lang + " has no tagged test split and its dev split (" + dev.size()
                    + " sentences) is too small for disjoint validation and test subsets of " + k);
        }
        String why = full.note("test").orElse("the source has no tagged test split");
        return out.with("test", dev.shuffle(seed).slice(k, 2 * k))
                .withNote("test", "taken from dev: items " + k + ".." + (2 * k - 1) + " of dev's permutation with seed "
                        + seed + ", disjoint from validation (items 0.." + (k - 1) + "), because " + why);
    }

    public long seed() {
        return seed;
    }

    /** The languages, in the order asked for. */
    public List<String> languages() {
        return new ArrayList<>(languages.keySet());
    }

    /** One language's subset: its splits and their notes. */
    public DatasetDict get(String lang) {
        DatasetDict dict = languages.get(lang);
        if (dict == null) {
            throw new XnerInputException("no language \"" + lang + "\" in this corpus; it has "
                    + String.join(", ", languages.keySet()));
        }
        return dict;
    }

    /** Whether {@code lang}'s test subset was taken from its dev split (see the class comment). */
    public boolean testFromDev(String lang) {
        get(lang);
        return testFromDev.contains(lang);
    }

    public double fraction(String lang) {
        get(lang);
        return FRACTIONS.get(lang);
    }

    private static String known() {
        return String.join(", ", FRACTIONS.keySet());
    }

    private static Map<String, Double> fractions() {
        Map<String, Double> fractions = new LinkedHashMap<>();
        fractions.put("de", 0.629);
        fractions.put("fr", 0.229);
        fractions.put("it", 0.084);
        fractions.put("en", 0.059);
        return Collections.unmodifiableMap(fractions);
    }
}
