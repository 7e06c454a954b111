package xner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LengthGroupedOrderTest {
    @Test
    void sortsInsideMegaBatchesAndPutsTheLongestFirst() {
        // 10 examples, batch 2 → mega-batch multiplier max(1, min(10 / 8, 50)) = 1 → mega-batches of 2
        int[] lengths = {5, 9, 3, 7, 1, 8, 2, 6, 4, 30};
        int[] random = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        // sorted pairs: [1,0] [3,2] [5,4] [7,6] [9,8]; longest head is 9 (length 30) → swapped with 1
        assertArrayEquals(new int[] {9, 0, 3, 2, 5, 4, 7, 6, 1, 8}, LengthGroupedOrder.of(lengths, 2, random));
    }

    @Test
    void isAPermutationAndKeepsTiesInTheirRandomOrder() {
        int[] lengths = new int[100];
        Arrays.fill(lengths, 4);
        int[] random = new int[100];
        for (int i = 0; i < 100; i++) random[i] = 99 - i;
        int[] order = LengthGroupedOrder.of(lengths, 8, random);
        assertArrayEquals(random, order); // all equal lengths: a stable sort changes nothing
    }

    @Test
    void linearScheduleDecaysToZeroAfterWarmUp() {
        LinearSchedule s = new LinearSchedule(5e-5, 0, 100);
        assertEquals(5e-5, s.rate(0), 1e-18);
        assertEquals(2.5e-5, s.rate(50), 1e-18);
        assertEquals(5e-7, s.rate(99), 1e-18);
        LinearSchedule warm = new LinearSchedule(1.0, 10, 110);
        assertEquals(0.0, warm.rate(0));
        assertEquals(0.5, warm.rate(5), 1e-12);
        assertEquals(1.0, warm.rate(10), 1e-12);
        assertEquals(0.5, warm.rate(60), 1e-12);
    }
}
