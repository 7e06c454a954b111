package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static xner.data.DatasetTest.numbered;
import static xner.data.DatasetTest.words;

import java.util.List;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

class DatasetDictTest {
    private final DatasetDict dict = DatasetDict.empty()
            .with("train", numbered(10)).with("validation", numbered(4)).withNote("test", "no gold tags");

    @Test
    void splitsKeepInsertionOrderAndReplacementKeepsPlace() {
        assertEquals(List.of("train", "validation"), dict.splits());
        DatasetDict replaced = dict.with("train", numbered(1)).with("test", numbered(2));
        assertEquals(List.of("train", "validation", "test"), replaced.splits());
        assertEquals(1, replaced.get("train").size());
        assertEquals(10, dict.get("train").size());
    }

    @Test
    void absentSplitErrorNamesItsNoteAndThePresentSplits() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> dict.get("test"));
        assertEquals("no split \"test\" (no gold tags); splits: train, validation", e.getMessage());
        assertFalse(dict.has("test"));
        assertEquals("DatasetDict{train: 10, validation: 4, test: absent (no gold tags)}", dict.toString());
    }

    @Test
    void shuffleShufflesEachSplitWithItsOwnGenerator() {
        DatasetDict shuffled = dict.shuffle(0);
        assertEquals(words(numbered(10).shuffle(0)), words(shuffled.get("train")));
        // np.random.default_rng(0).permutation(4) = [2 0 1 3]: a fresh generator, not the train one continued
        assertEquals(List.of("w2", "w0", "w1", "w3"), words(shuffled.get("validation")));
        assertEquals("no gold tags", shuffled.note("test").orElseThrow());
    }
}
