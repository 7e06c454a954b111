package xner.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WindowsTest {
    @Test
    void aShortSequenceIsOneWindow() {
        Windows w = Windows.plan(5, 8, 2);
        assertEquals(1, w.count());
        assertEquals(0, w.start(0));
        assertEquals(5, w.end(0));
        assertEquals(1, Windows.plan(0, 8, 2).count(), "an empty text still has one (empty) window");
    }

    @Test
    void consecutiveWindowsShareStrideTokensAndTheLastEndsAtTheEnd() {
        Windows w = Windows.plan(20, 8, 2);
        assertArrayEquals(new int[] {0, 6, 12}, w.starts());
        assertArrayEquals(new int[] {8, 14, 20}, w.ends());
        Windows v = Windows.plan(21, 8, 2);
        assertArrayEquals(new int[] {0, 6, 12, 18}, v.starts());
        assertArrayEquals(new int[] {8, 14, 20, 21}, v.ends());
    }

    @Test
    void eachTokenIsOwnedByTheWindowWhereItHasMostContext() {
        Windows w = Windows.plan(20, 8, 4); // [0,8) [4,12) [8,16) [12,20)
        int[] owners = new int[20];
        for (int t = 0; t < 20; t++) owners[t] = w.owner(t);
        // 5: 2 tokens after it in window 0, 1 before it in window 1; 6: 1 after in window 0, 2 before in window 1
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3}, owners);
    }

    @Test
    void theTextsOwnStartAndEndAreNoCut() {
        Windows w = Windows.plan(10, 8, 2); // [0,8) [6,10)
        assertEquals(0, w.owner(6), "one token of context after it in window 0, none before it in window 1");
        assertEquals(1, w.owner(7), "none after it in window 0; window 1 reaches the text's end");
        assertEquals(0, w.owner(0));
        assertEquals(1, w.owner(9));
    }

    @Test
    void everyTokenHasExactlyOneOwnerThatHoldsIt() {
        for (int length = 0; length < 60; length++) {
            for (int size = 1; size < 12; size++) {
                for (int stride = 0; stride < size; stride++) {
                    Windows w = Windows.plan(length, size, stride);
                    assertEquals(length, w.end(w.count() - 1));
                    for (int t = 0; t < length; t++) {
                        int o = w.owner(t);
                        assertEquals(true, w.start(o) <= t && t < w.end(o), length + "/" + size + "/" + stride + " token " + t);
                    }
                    for (int i = 1; i < w.count(); i++) {
                        assertEquals(Math.min(stride, w.end(i) - w.start(i)), w.end(i - 1) - w.start(i), "overlap");
                    }
                }
            }
        }
    }

    @Test
    void aStrideAsLongAsTheWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Windows.plan(10, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> Windows.plan(10, 0, 0));
    }
}
