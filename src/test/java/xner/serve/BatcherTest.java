package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xner.data.LabelSet;
import xner.infer.Tagged;

/** The batcher alone, with a stand-in tagger that refuses any batch holding a marked text. */
class BatcherTest {
    /** Holds its first call until released; throws for a batch with a text containing "BAD" or "CRASH". */
    static final class MarkedTagger {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        List<Tagged> tag(List<String> texts) {
            calls.add(List.copyOf(texts));
            if (calls.size() == 1) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (String t : texts) {
                if (t.contains("BAD")) throw new IllegalArgumentException("a lone surrogate at 4");
                if (t.contains("CRASH")) throw new ArrayIndexOutOfBoundsException("Index 13 out of bounds for length 12");
            }
            return texts.stream().map(t -> new Tagged(t, List.of(), LabelSet.PANX)).toList();
        }
    }

    static List<String> texts(CompletableFuture<List<Tagged>> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS).stream().map(Tagged::text).toList();
    }

    static Batcher.TextFailed failure(CompletableFuture<List<Tagged>> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(Batcher.TextFailed.class, e.getCause());
    }

    @Test
    void aTextThatFailsFailsItsOwnRequestAloneAndTheOthersOfItsBatchAreTagged() throws Exception {
        MarkedTagger tagger = new MarkedTagger();
        try (Batcher batcher = new Batcher(tagger::tag, 64, 32)) {
            CompletableFuture<List<Tagged>> first = batcher.submit(List.of("first"));
            assertTrue(tagger.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<List<Tagged>> a = batcher.submit(List.of("a1", "a2"));
            CompletableFuture<List<Tagged>> bad = batcher.submit(List.of("b1", "b2 BAD", "b3"));
            CompletableFuture<List<Tagged>> c = batcher.submit(List.of("c1"));
            CompletableFuture<List<Tagged>> crash = batcher.submit(List.of("CRASH"));
            CompletableFuture<List<Tagged>> d = batcher.submit(List.of("d1", "d2", "d3"));
            tagger.release.countDown();

            assertEquals(List.of("first"), texts(first));
            assertEquals(List.of("a1", "a2"), texts(a));
            assertEquals(List.of("c1"), texts(c));
            assertEquals(List.of("d1", "d2", "d3"), texts(d));
            Batcher.TextFailed b = failure(bad);
            assertEquals(1, b.index(), "the second text of its request");
            assertInstanceOf(IllegalArgumentException.class, b.getCause());
            Batcher.TextFailed x = failure(crash);
            assertEquals(0, x.index());
            assertInstanceOf(ArrayIndexOutOfBoundsException.class, x.getCause());
            // all ten waiting texts went in one call first; the halves were tried again only after it failed
            assertEquals(List.of("a1", "a2", "b1", "b2 BAD", "b3", "c1", "CRASH", "d1", "d2", "d3"), tagger.calls.get(1));
            assertTrue(tagger.calls.contains(List.of("b2 BAD")) && tagger.calls.contains(List.of("CRASH")),
                    "each bad text was tried alone: " + tagger.calls);
            assertTrue(tagger.calls.size() <= 2 + 2 * 10, "a bisection, not a retry of every subset: " + tagger.calls);
        }
    }

    @Test
    void anErrorFailsTheWholeBatchWithoutRetrying() throws Exception {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        try (Batcher batcher = new Batcher(texts -> {
            calls.add(texts.size());
            throw new OutOfMemoryError("native memory");
        }, 64, 32)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> batcher.submit(List.of("a", "b")).get(10, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            assertEquals(List.of(2), calls);
        }
    }
}
