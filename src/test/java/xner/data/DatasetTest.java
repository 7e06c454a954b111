package xner.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

class DatasetTest {
    /** Ten one-word sentences w0..w9, sentence i on line i + 1. */
    static Dataset numbered(int n) {
        List<Sentence> sentences = new ArrayList<>();
        for (int i = 0; i < n; i++) sentences.add(new Sentence(List.of("w" + i), List.of("O"), new Source(Path.of("f"), i + 1)));
        return Dataset.of(sentences, LabelSet.PANX);
    }

    static List<String> words(Dataset d) {
        return d.stream().map(s -> s.words().get(0)).toList();
    }

    @Test
    void shuffleIsSelectOfNumpysPermutation() {
        // np.random.default_rng(0).permutation(10) = [4 6 2 7 3 5 9 0 8 1]
        assertEquals(List.of("w4", "w6", "w2", "w7", "w3", "w5", "w9", "w0", "w8", "w1"), words(numbered(10).shuffle(0)));
    }

    @Test
    void shuffleWithTheSameSeedIsTheSameAndLeavesTheOriginalAlone() {
        Dataset d = numbered(100);
        assertEquals(words(d.shuffle(7)), words(d.shuffle(7)));
        assertEquals("w0", d.get(0).words().get(0));
    }

    @Test
    void selectTakesIndicesInTheirOrderWithRepeats() {
        assertEquals(List.of("w3", "w0", "w3"), words(numbered(5).select(new int[] {3, 0, 3})));
        assertThrows(IndexOutOfBoundsException.class, () -> numbered(5).select(new int[] {5}));
    }

    @Test
    void takeSliceAndSkipAreRanges() {
        Dataset d = numbered(5);
        assertEquals(List.of("w0", "w1"), words(d.take(2)));
        assertEquals(List.of("w2", "w3"), words(d.slice(2, 4)));
        assertEquals(List.of("w3", "w4"), words(d.skip(3)));
        assertEquals(0, d.take(0).size());
        assertThrows(IndexOutOfBoundsException.class, () -> d.take(6));
    }

    @Test
    void mapReplacesSentencesAndChecksTheirTags() {
        Dataset d = numbered(2);
        Dataset upper = d.map(s -> new Sentence(List.of(s.words().get(0).toUpperCase()), s.tags(), s.source()));
        assertEquals(List.of("W0", "W1"), words(upper));
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> d.map(s -> new Sentence(s.words(), List.of("B-MISC"), s.source())));
        assertTrue(e.getMessage().startsWith("f:1: unknown tag \"B-MISC\""), e.getMessage());
    }

    @Test
    void filterKeepsOrder() {
        assertEquals(List.of("w1", "w3"), words(numbered(5).filter(s -> s.source().line() % 2 == 0)));
    }

    @Test
    void concatenateAppendsInOrderAndRefusesOtherLabelSets() {
        assertEquals(List.of("w0", "w1", "w0"), words(Dataset.concatenate(numbered(2), numbered(1))));
        Dataset other = Dataset.of(List.of(), new LabelSet(List.of("O", "B-X")));
        assertThrows(IllegalArgumentException.class, () -> Dataset.concatenate(numbered(1), other));
    }

    @Test
    void ofRefusesATagOutsideTheLabelSet() {
        Sentence s = new Sentence(List.of("Bonn"), List.of("B-GPE"), new Source(Path.of("g"), 3));
        XnerInputException e = assertThrows(XnerInputException.class, () -> Dataset.of(List.of(s), LabelSet.PANX));
        assertTrue(e.getMessage().startsWith("g:3: unknown tag \"B-GPE\""), e.getMessage());
    }

    @Test
    void entityCountsCountBeginTagsPerTypeInLabelOrder() {
        Source at = new Source(Path.of("f"), 1);
        Dataset d = Dataset.of(List.of(
                new Sentence(List.of("Jeff", "Dean", "Google", "Mountain", "View"), List.of("B-PER", "I-PER", "B-ORG", "B-LOC", "I-LOC"), at),
                new Sentence(List.of("Bonn", "Köln"), List.of("B-LOC", "B-LOC"), at)), LabelSet.PANX);
        Map<String, Integer> counts = d.entityCounts();
        assertEquals(List.of("PER", "ORG", "LOC"), List.copyOf(counts.keySet()));
        assertArrayEquals(new Integer[] {1, 1, 3}, counts.values().toArray(new Integer[0]));
        assertEquals(Map.of("PER", 0, "ORG", 0, "LOC", 0), numbered(3).entityCounts());
    }

    @Test
    void sentencesCannotBeChangedThroughTheDataset() {
        Dataset d = numbered(2);
        assertThrows(UnsupportedOperationException.class, () -> d.sentences().clear());
    }
}
