package xner.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import xner.tokenize.Encoding;

/** One input's windows: the ids each window holds, and which window and position answer for each token. */
class WindowedTest {
    /** [CLS] t0 … t9 [SEP], ids 100, 0 … 9, 101. */
    private static Encoding encoding(int textTokens) {
        List<String> tokens = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        List<Integer> special = new ArrayList<>();
        tokens.add("[CLS]");
        ids.add(100);
        words.add(Encoding.NO_WORD);
        special.add(1);
        for (int t = 0; t < textTokens; t++) {
            tokens.add("t" + t);
            ids.add(t);
            words.add(t);
            special.add(0);
        }
        tokens.add("[SEP]");
        ids.add(101);
        words.add(Encoding.NO_WORD);
        special.add(1);
        List<Integer> zeros = Collections.nCopies(tokens.size(), 0);
        return new Encoding(tokens, ids, words, zeros, zeros, special, Collections.nCopies(tokens.size(), 1), false);
    }

    @Test
    void everyWindowRepeatsTheSpecialTokensAroundItsSliceOfText() {
        Windowed w = Windowed.cut("", encoding(10), 6, 1);
        assertEquals(1, w.leading());
        assertEquals(1, w.trailing());
        assertArrayEquals(new int[] {0, 3, 6}, w.plan().starts());
        assertArrayEquals(new int[] {100, 0, 1, 2, 3, 101}, w.ids(0));
        assertArrayEquals(new int[] {100, 3, 4, 5, 6, 101}, w.ids(1));
        assertArrayEquals(new int[] {100, 6, 7, 8, 9, 101}, w.ids(2));
    }

    @Test
    void eachTokenIsReadFromTheWindowThatOwnsItAtItsPositionThere() {
        Windowed w = Windowed.cut("", encoding(10), 6, 1);
        assertEquals(0, w.window(0), "[CLS] from the first window");
        assertEquals(0, w.position(0));
        assertEquals(1, w.window(5), "t4");
        assertEquals(2, w.position(5));
        assertEquals(2, w.window(11), "[SEP] from the last window");
        assertEquals(5, w.position(11));
        for (int k = 0; k < 12; k++) {
            assertEquals(w.encoding().ids().get(k), w.ids(w.window(k))[w.position(k)], "token " + k);
        }
    }

    @Test
    void aShortTextIsOneWindowOfItsWholeEncoding() {
        Windowed w = Windowed.cut("", encoding(3), 512, 128);
        assertEquals(1, w.count());
        assertArrayEquals(new int[] {100, 0, 1, 2, 101}, w.ids(0));
        for (int k = 0; k < 5; k++) assertEquals(k, w.position(k));
    }
}
