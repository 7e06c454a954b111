package xner.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The best {@code capacity} candidates seen so far, one per text: a heap whose head is the worst kept, so a new
 * candidate costs O(log capacity) and memory never grows past {@code capacity} candidates, whatever the pool's size.
 *
 * <pre>
 *   Shortlist list = new Shortlist(100, Strategy.MNLP.chosenFirst());
 *   if (!list.holds(text)) list.offer(candidate);
 *   List&lt;Candidate&gt; chosen = list.best();   // the lowest mnlp first
 * </pre>
 */
public final class Shortlist {
    private final int capacity;
    private final Comparator<Candidate> better; // negative: the first is chosen before the second
    private final PriorityQueue<Candidate> heap; // the worst kept at the head
    private final Map<String, Candidate> byText = new HashMap<>();

    /** @param scoresChosenFirst the order in which scores are chosen ({@link Strategy#chosenFirst()}) */
    public Shortlist(int capacity, Comparator<Double> scoresChosenFirst) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        this.capacity = capacity;
        this.better = Comparator.comparing(Candidate::score, scoresChosenFirst).thenComparingLong(Candidate::ordinal);
        this.heap = new PriorityQueue<>(Math.min(capacity, 1 << 16) + 1, better.reversed());
    }

    /** Whether a candidate with this text is kept now. */
    public boolean holds(String text) {
        return byText.containsKey(text);
    }

    /**
     * Keeps {@code c} if it is among the best {@code capacity} so far (the worst kept then leaves). A text already
     * kept is refused: one text is chosen once.
     *
     * @return whether {@code c} is kept
     */
    public boolean offer(Candidate c) {
        if (!admits(c)) return false;
        if (heap.size() == capacity) byText.remove(heap.poll().text());
        heap.add(c);
        byText.put(c.text(), c);
        return true;
    }

    /** Whether {@link #offer} would keep {@code c} now: so that its output is made only when it is kept. */
    public boolean admits(Candidate c) {
        if (byText.containsKey(c.text())) return false;
        return heap.size() < capacity || better.compare(c, heap.peek()) < 0;
    }

    public int size() {
        return heap.size();
    }

    public int capacity() {
        return capacity;
    }

    /** The candidates kept, the one chosen first first. */
    public List<Candidate> best() {
        List<Candidate> all = new ArrayList<>(heap);
        all.sort(better);
        return all;
    }
}
