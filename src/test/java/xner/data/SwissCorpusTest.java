package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xner.data.DatasetTest.numbered;
import static xner.data.DatasetTest.words;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

class SwissCorpusTest {
    /** Every language with 100 train, 50 dev and 50 test sentences; Italian without a test split. */
    private final PanxSource source = lang -> {
        DatasetDict d = DatasetDict.empty().with("train", numbered(100)).with("validation", numbered(50));
        return lang.equals("it") ? d.withNote("test", "no gold tags") : d.with("test", numbered(50));
    };

    @Test
    void subsetSizeTruncatesTheDoubleProductAsPythonsIntDoes() {
        assertEquals(28, SwissCorpus.subsetSize(0.29, 100)); // 0.29 * 100 = 28.999999999999996
        assertEquals(840, SwissCorpus.subsetSize(0.084, 10000)); // 840.0000000000001
        assertEquals(12580, SwissCorpus.subsetSize(0.629, 20000));
        assertEquals(0, SwissCorpus.subsetSize(0.059, 16));
    }

    @Test
    void eachSplitIsShuffledWithTheSeedThenCut() {
        DatasetDict de = SwissCorpus.sample(source, 3, List.of("de")).get("de");
        assertEquals(words(numbered(100).shuffle(3).take(62)), words(de.get("train")));
        assertEquals(words(numbered(50).shuffle(3).take(31)), words(de.get("validation")));
        assertEquals(words(numbered(50).shuffle(3).take(31)), words(de.get("test")));
    }

    @Test
    void missingTestIsTakenFromDevAfterTheValidationSubset() {
        SwissCorpus corpus = SwissCorpus.sample(source, 0);
        DatasetDict it = corpus.get("it");
        assertEquals(List.of("train", "validation", "test"), it.splits());
        Dataset dev = numbered(50).shuffle(0);
        int k = SwissCorpus.subsetSize(0.084, 50); // 4
        assertEquals(words(dev.take(k)), words(it.get("validation")));
        assertEquals(words(dev.slice(k, 2 * k)), words(it.get("test")));
        List<String> both = new ArrayList<>(words(it.get("validation")));
        both.retainAll(words(it.get("test")));
        assertTrue(both.isEmpty(), "overlap " + both);
        assertTrue(corpus.testFromDev("it"));
        assertFalse(corpus.testFromDev("fr"));
        String note = it.note("test").orElseThrow();
        assertTrue(note.equals("taken from dev: items 4..7 of dev's permutation with seed 0, disjoint from validation"
                + " (items 0..3), because no gold tags"), note);
    }

    @Test
    void languagesFollowTheOrderAskedFor() {
        assertEquals(List.of("en", "de"), SwissCorpus.sample(source, 0, List.of("en", "de")).languages());
    }

    @Test
    void unknownLanguageIsRefusedNamingTheKnownOnes() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> SwissCorpus.sample(source, 0, List.of("rm")));
        assertEquals("no Swiss fraction for \"rm\"; the Swiss corpus has de, fr, it, en", e.getMessage());
    }

    @Test
    void negativeSeedIsRefused() {
        assertThrows(XnerInputException.class, () -> SwissCorpus.sample(source, -1));
    }
}
