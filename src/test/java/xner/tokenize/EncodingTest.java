package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncodingTest {
    @Test
    void everyListHasOneEntryPerToken() {
        assertThrows(IllegalArgumentException.class, () -> new Encoding(List.of("[CLS]", "a"), List.of(101), List.of(-1, 0),
                List.of(0, 0), List.of(0, 1), List.of(1, 0), List.of(1, 1), false));
    }

    @Test
    void offsetsMustBeAForwardRange() {
        assertThrows(IllegalArgumentException.class, () -> new Encoding(List.of("a"), List.of(5), List.of(0),
                List.of(3), List.of(2), List.of(0), List.of(1), false));
    }

    @Test
    void idsWordCountAndSpecialFlags() {
        Encoding e = new Encoding(List.of("[CLS]", "Info", "##rmat", "bei", "[SEP]"), List.of(101, 43964, 103286, 10492, 102),
                List.of(-1, 0, 0, 1, -1), List.of(0, 0, 4, 13, 0), List.of(0, 4, 8, 16, 0), List.of(1, 0, 0, 0, 1),
                List.of(1, 1, 1, 1, 1), false);
        assertEquals(5, e.size());
        assertEquals(2, e.wordCount());
        assertTrue(e.isSpecial(0) && !e.isSpecial(1));
        assertArrayEquals(new int[] {101, 43964, 103286, 10492, 102}, e.idArray());
    }
}
