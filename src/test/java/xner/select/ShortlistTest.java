package xner.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xner.data.InputRecord;
import xner.data.Source;

/** The bounded heap: never more than its capacity, the best kept whatever the order they come in, one per text. */
class ShortlistTest {
    private static Candidate candidate(long ordinal, String text, double score) {
        return new Candidate(ordinal, text, score, new InputRecord.Text(new Source(Path.of("pool.txt"), (int) ordinal + 1), text, null),
                null);
    }

    @Test
    void keepsTheLowestScoresOfAStreamWithinItsCapacity() {
        Shortlist list = new Shortlist(10, Comparator.naturalOrder());
        Random random = new Random(1);
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Candidate c = candidate(i, "text " + i, random.nextDouble());
            all.add(c);
            list.offer(c);
            assertTrue(list.size() <= 10, "bounded: " + list.size());
        }
        all.sort(Comparator.comparingDouble(Candidate::score));
        assertEquals(all.subList(0, 10), list.best());
    }

    @Test
    void theHighestFirstWhenTheStrategySaysSo() {
        Shortlist list = new Shortlist(2, Strategy.ENTROPY.chosenFirst());
        for (int i = 0; i < 5; i++) list.offer(candidate(i, "t" + i, i));
        assertEquals(List.of(4.0, 3.0), list.best().stream().map(Candidate::score).toList());
    }

    @Test
    void aTieGoesToTheEarlierText() {
        Shortlist list = new Shortlist(2, Comparator.naturalOrder());
        list.offer(candidate(5, "late", 0.5));
        list.offer(candidate(1, "early", 0.5));
        assertFalse(list.offer(candidate(9, "later", 0.5)));
        assertTrue(list.offer(candidate(0, "first", 0.5)));
        assertEquals(List.of("first", "early"), list.best().stream().map(Candidate::text).toList());
    }

    @Test
    void oneTextIsKeptOnce() {
        Shortlist list = new Shortlist(3, Comparator.naturalOrder());
        assertTrue(list.offer(candidate(0, "Jeff Dean", 0.9)));
        assertTrue(list.holds("Jeff Dean"));
        assertFalse(list.admits(candidate(1, "Jeff Dean", 0.1)));
        assertFalse(list.offer(candidate(1, "Jeff Dean", 0.1)));
        assertEquals(1, list.size());
        // a text that left the list may come back: it is then on the list once
        list.offer(candidate(2, "a", 0.1));
        list.offer(candidate(3, "b", 0.2));
        list.offer(candidate(4, "c", 0.3));
        assertFalse(list.holds("Jeff Dean"));
        assertTrue(list.offer(candidate(5, "Jeff Dean", 0.05)));
        assertEquals(List.of("Jeff Dean", "a", "b"), list.best().stream().map(Candidate::text).toList());
    }
}
