package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import xner.data.Sentence;
import xner.data.Source;

/** Passes without gradients: sorted by length, bounded by rows and by padded tokens. */
class BatchTest {
    @Test
    void passesAreBoundedByPaddedTokensAsWellAsByRows() {
        // eight short sentences fill passes by count; 512-token windows by tokens: 4096 / 512 = 8
        assertEquals(List.of(4, 4), Batch.passSizes(new int[] {10, 10, 12, 12, 14, 20, 30, 40}, 4, 4096));
        int[] windows = new int[20];
        Arrays.fill(windows, 512);
        assertEquals(List.of(8, 8, 4), Batch.passSizes(windows, 32, 4096));
        assertEquals(List.of(3, 1), Batch.passSizes(new int[] {5, 100, 200, 700}, 32, 600)); // 700 > 600: alone
        assertEquals(List.of(), Batch.passSizes(new int[0], 32, 4096));
    }

    @Test
    void evaluationPassesOfLongSentencesStayUnderTheTokenBudget() {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < 20; i++) examples.add(example(i % 2 == 0 ? 600 : 8, i));
        List<Integer> rows = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        Batch.inLengthOrder(examples, 64, 0, (batch, positions) -> {
            rows.add(batch.size());
            for (int p : positions) seen.add(p);
        });
        // ten short ones together, then the ten of 600 tokens six at a time (6 × 600 ≤ 4096 < 7 × 600)
        assertEquals(List.of(10, 6, 4), rows);
        assertEquals(20, seen.stream().distinct().count());
    }

    private static Example example(int length, int line) {
        int[] ids = new int[length];
        Arrays.fill(ids, 5);
        int[] labels = new int[length];
        return new Example(ids, labels, new Sentence(List.of("w"), List.of("O"), new Source(Path.of("f"), line + 1)));
    }
}
