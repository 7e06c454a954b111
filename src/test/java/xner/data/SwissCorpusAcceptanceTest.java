package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xner.testing.TestData;

/** The Swiss corpus on the real PAN-X files, against the facts checked in {@code data/panx/README.md}. */
class SwissCorpusAcceptanceTest {
    private static PanxSource cached;

    /** The real PAN-X, read once per class; each test skips with TestData's reason where it is absent. */
    private static synchronized PanxSource panx() {
        Path dir = TestData.panx();
        if (cached == null) cached = new Cached(new LocalPanx(dir));
        return cached;
    }

    @Test
    void unshuffledGermanTrainStartsWithTheSavoyerVoralpen() {
        Sentence first = panx().load("de").get("train").get(0);
        assertEquals("als Teil der Savoyer Voralpen im Osten .", String.join(" ", first.words()));
    }

    @Test
    void fullSplitSizesAndItalianTestIsAbsentWithAReason() {
        for (String lang : List.of("de", "fr", "en")) {
            DatasetDict d = panx().load(lang);
            assertEquals(List.of("train", "validation", "test"), d.splits(), lang);
            assertEquals(List.of(20000, 10000, 10000),
                    List.of(d.get("train").size(), d.get("validation").size(), d.get("test").size()), lang);
        }
        DatasetDict it = panx().load("it");
        assertEquals(List.of("train", "validation"), it.splits());
        assertTrue(it.note("test").orElseThrow().contains("test.untagged"), it.toString());
    }

    @Test
    void subsetSizesAreTheChaptersWithSeedZero() {
        SwissCorpus corpus = SwissCorpus.sample(panx(), 0);
        assertEquals(List.of("de", "fr", "it", "en"), corpus.languages());
        Map<String, List<Integer>> expected = Map.of(
                "de", List.of(12580, 6290, 6290), "fr", List.of(4580, 2290, 2290),
                "it", List.of(1680, 840, 840), "en", List.of(1180, 590, 590));
        expected.forEach((lang, sizes) -> {
            DatasetDict d = corpus.get(lang);
            assertEquals(List.of("train", "validation", "test"), d.splits(), lang);
            assertEquals(sizes, List.of(d.get("train").size(), d.get("validation").size(), d.get("test").size()), lang);
        });
    }

    @Test
    void seedZeroPutsTheDanzigerBuchtSentenceFirst() {
        Sentence first = SwissCorpus.sample(panx(), 0, List.of("de")).get("de").get("train").get(0);
        assertEquals("2.000 Einwohnern an der Danziger Bucht in der polnischen Woiwodschaft Pommern .",
                String.join(" ", first.words()));
        assertEquals(List.of("O", "O", "O", "O", "B-LOC", "I-LOC", "O", "O", "B-LOC", "B-LOC", "I-LOC", "O"), first.tags());
    }

    @Test
    void seedZeroGermanEntityCountsAreTheChapters() {
        DatasetDict de = SwissCorpus.sample(panx(), 0, List.of("de")).get("de");
        assertEquals(Map.of("ORG", 5366, "LOC", 6186, "PER", 5810), de.get("train").entityCounts());
        assertEquals(Map.of("ORG", 2683, "LOC", 3172, "PER", 2893), de.get("validation").entityCounts());
        assertEquals(Map.of("ORG", 2573, "LOC", 3180, "PER", 3071), de.get("test").entityCounts());
    }

    @Test
    void seedFortyTwoPutsTheOlympiqueNimesSentenceFirstWithItsCounts() {
        DatasetDict de = SwissCorpus.sample(panx(), 42, List.of("de")).get("de");
        Sentence first = de.get("train").get(0);
        assertTrue(String.join(" ", first.words())
                .startsWith("Olympique Nîmes , Auxerres seinerzeitiger drittklassiger Endspielgegner ,"), first.words().toString());
        assertEquals(List.of("B-ORG", "I-ORG", "O"), first.tags().subList(0, 3));
        assertEquals(Map.of("ORG", 5397, "LOC", 6169, "PER", 5881), de.get("train").entityCounts());
        assertEquals(Map.of("ORG", 2639, "LOC", 3172, "PER", 2870), de.get("validation").entityCounts());
        assertEquals(Map.of("ORG", 2657, "LOC", 3100, "PER", 2971), de.get("test").entityCounts());
    }

    @Test
    void italianTestComesFromDevDisjointFromValidationAndSaysSo() {
        SwissCorpus corpus = SwissCorpus.sample(panx(), 0);
        assertTrue(corpus.testFromDev("it"));
        assertFalse(corpus.testFromDev("de"));
        DatasetDict it = corpus.get("it");
        Set<Source> validation = new HashSet<>();
        it.get("validation").forEach(s -> validation.add(s.source()));
        for (Sentence s : it.get("test")) {
            assertTrue(s.source().file().endsWith("dev"), s.source().toString());
            assertFalse(validation.contains(s.source()), "in both: " + s.source());
        }
        // the test subset is the next 840 of the very permutation whose first 840 are validation
        Dataset dev = panx().load("it").get("validation").shuffle(0);
        assertEquals(dev.slice(840, 1680).sentences(), it.get("test").sentences());
        assertTrue(it.note("test").orElseThrow().contains("items 840..1679 of dev's permutation with seed 0"),
                it.note("test").orElseThrow());
    }

    /** Each language read once for the whole class: the files do not change under a test run. */
    private record Cached(PanxSource source, Map<String, DatasetDict> loaded) implements PanxSource {
        Cached(PanxSource source) {
            this(source, new java.util.concurrent.ConcurrentHashMap<>());
        }

        @Override
        public DatasetDict load(String lang) {
            return loaded.computeIfAbsent(lang, source::load);
        }
    }
}
