package xner.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import xner.data.Dataset;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.data.Source;

/**
 * German-looking tagged sentences made up from a seed, for tests that need <em>some</em> sentences (to build a tiny
 * model's vocabulary, a batch, a training run) and no fact of PAN-X: they run without {@code XNER_DATA}.
 *
 * <p>Each sentence is a template ({@code "{PER} wohnt seit 1998 in {LOC} ."}) whose slots are filled with names of
 * one to three words, tagged in IOB2 with PAN-X's labels ({@code B-PER I-PER}, {@code B-ORG}, {@code B-LOC I-LOC}),
 * every other word {@code O}. The same seed gives the same sentences. Their sources read as PAN-X's do, one word a
 * line and a blank line between sentences: sentence 1 of {@code de/train} is {@code synthetic/de/train:1}.
 */
public final class SyntheticSentences {
    private SyntheticSentences() {}

    private static final String[] FIRST = {"Anna", "Lukas", "Sophie", "Maximilian", "Johanna", "Felix", "Marie", "Jonas",
            "Clara", "Paul", "Friedrich", "Greta"};
    private static final String[] LAST = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Hoffmann", "Schäfer", "von Hohenstein", "Krüger"};
    private static final String[] ORG = {"Siemens", "Deutsche Bahn", "Volkswagen", "Bayern München", "Universität Heidelberg",
            "Europäische Zentralbank", "SPD", "Bundesverfassungsgericht", "Hamburger SV", "Max-Planck-Gesellschaft"};
    private static final String[] LOC = {"Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Rhein", "Bodensee",
            "Sachsen", "Österreich", "Schwarzwald", "Bad Tölz", "Zürich"};
    private static final String[] TEMPLATES = {
        "{PER} wohnt seit 1998 in {LOC} .",
        "Die {ORG} eröffnete im Jahr 2004 ein neues Werk bei {LOC} .",
        "{PER} wechselte nach der Saison zu {ORG} .",
        "In {LOC} traf {PER} den Vorstand der {ORG} .",
        "Der Fluss fließt von {LOC} bis nach {LOC} .",
        "Laut {ORG} wurde das Gebäude 1871 fertiggestellt .",
        "{PER} und {PER} gründeten später die {ORG} in {LOC} .",
        "Das Dorf liegt zwischen {LOC} und {LOC} im Süden von {LOC} .",
        "'' {PER} '' ist ein Roman über eine Familie aus {LOC} .",
        "Er studierte an der {ORG} und arbeitete danach für {ORG} .",
        "Die Kirche wurde im 12. Jahrhundert erbaut .",
        "{PER} ( * 1953 in {LOC} ) ist ein deutscher Politiker ( {ORG} ) .",
    };

    /** {@code n} German-looking sentences of {@code de/train} made from {@code seed}. */
    public static Dataset german(int n, long seed) {
        return german(n, seed, "train");
    }

    /** {@code n} German-looking sentences made from {@code seed}, with sources {@code synthetic/de/<split>:<line>}. */
    public static Dataset german(int n, long seed, String split) {
        Random random = new Random(seed);
        Path file = Path.of("synthetic", "de", split);
        List<Sentence> sentences = new ArrayList<>(n);
        int line = 1;
        for (int i = 0; i < n; i++) {
            Sentence s = sentence(random, new Source(file, line));
            sentences.add(s);
            line += s.words().size() + 1;
        }
        return Dataset.of(sentences, LabelSet.PANX);
    }

    private static Sentence sentence(Random random, Source source) {
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String part : TEMPLATES[random.nextInt(TEMPLATES.length)].split(" ")) {
            switch (part) {
                case "{PER}" -> add(words, tags, "PER", random.nextInt(4) == 0 ? pick(random, LAST)
                        : pick(random, FIRST) + " " + pick(random, LAST));
                case "{ORG}" -> add(words, tags, "ORG", pick(random, ORG));
                case "{LOC}" -> add(words, tags, "LOC", pick(random, LOC));
                default -> {
                    words.add(part);
                    tags.add("O");
                }
            }
        }
        return new Sentence(words, tags, source);
    }

    private static String pick(Random random, String[] names) {
        return names[random.nextInt(names.length)];
    }

    private static void add(List<String> words, List<String> tags, String type, String name) {
        String prefix = "B-";
        for (String word : name.split(" ")) {
            words.add(word);
            tags.add(prefix + type);
            prefix = "I-";
        }
    }
}
