package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The benchmark's count of tokens computed with padding, which its padding ratio rests on. */
class InferenceBenchmarkTest {
    @Test
    void rowsAreSortedThenEachBatchIsPaddedToItsLongest() {
        // sorted 3 4 | 5 9: 2 × 4 + 2 × 9
        assertEquals(26, InferenceBenchmark.paddedTokens(new int[] {5, 3, 9, 4}, 2));
        // one batch: all padded to 9
        assertEquals(36, InferenceBenchmark.paddedTokens(new int[] {5, 3, 9, 4}, 4));
        // a last, partial batch: 3 4 5 | 9
        assertEquals(24, InferenceBenchmark.paddedTokens(new int[] {5, 3, 9, 4}, 3));
        assertEquals(21, InferenceBenchmark.paddedTokens(new int[] {5, 3, 9, 4}, 1), "batch 1 pads nothing");
        assertEquals(0, InferenceBenchmark.paddedTokens(new int[0], 8));
    }
}
