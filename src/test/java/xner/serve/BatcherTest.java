package xner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
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

    static Batcher batcher(Batcher.Model model) {
        return new Batcher(model, 64, 32, 4096, 1_000_000, Duration.ofSeconds(60));
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
        try (Batcher batcher = batcher(new TextModel(tagger::tag))) {
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
            // all ten waiting texts went in one pass first; each was tried alone only after it failed
            assertEquals(List.of("CRASH", "a1", "a2", "b1", "b2 BAD", "b3", "c1", "d1", "d2", "d3"),
                    tagger.calls.get(1).stream().sorted().toList());
            assertTrue(tagger.calls.contains(List.of("b2 BAD")) && tagger.calls.contains(List.of("CRASH")),
                    "each bad text was tried alone: " + tagger.calls);
            assertEquals(2 + 9, tagger.calls.size(), "the failed pass, then each of its windows once, but for b3, whose request "
                    + "had failed already: " + tagger.calls);
        }
    }

    @Test
    void aBadWindowInAFullPassIsFoundByBisectionNotByRunningEachWindowAgain() throws Exception {
        MarkedTagger tagger = new MarkedTagger();
        try (Batcher batcher = batcher(new TextModel(tagger::tag))) {
            CompletableFuture<List<Tagged>> first = batcher.submit(List.of("first"));
            assertTrue(tagger.entered.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<List<Tagged>>> requests = new ArrayList<>();
            for (int i = 0; i < 32; i++) requests.add(batcher.submit(List.of(i == 21 ? "t21 BAD" : "t" + i)));
            tagger.release.countDown();

            assertEquals(List.of("first"), texts(first));
            for (int i = 0; i < 32; i++) {
                if (i == 21) assertEquals(0, failure(requests.get(i)).index());
                else assertEquals(List.of("t" + i), texts(requests.get(i)));
            }
            assertEquals(32, tagger.calls.get(1).size(), "the 32 waiting texts in one pass");
            assertTrue(tagger.calls.contains(List.of("t21 BAD")), "the bad window was run alone: " + tagger.calls);
            int retries = tagger.calls.size() - 2;
            assertTrue(retries <= 2 * 5, retries + " passes after the failed one, not 32: " + tagger.calls);
            assertEquals(tagger.calls.size(), batcher.passes(), "every pass counted, the failed ones included");
        }
    }

    @Test
    void anErrorFailsTheWholeBatchWithoutRetrying() throws Exception {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        try (Batcher batcher = batcher(new TextModel(texts -> {
            calls.add(texts.size());
            throw new OutOfMemoryError("native memory");
        }))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> batcher.submit(List.of("a", "b")).get(10, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, e.getCause());
            assertEquals(List.of(2), calls);
        }
    }

    @Test
    void aLongRequestIsCutIntoSlicesThatTakeTurnsWithTheOthers() throws Exception {
        SlicedModel model = new SlicedModel(10, 0, true); // "long": ten windows of 512 tokens, one to a slice
        try (Batcher batcher = batcher(model)) {
            CompletableFuture<List<Tagged>> longOne = batcher.submit(List.of("long"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<List<Tagged>> a = batcher.submit(List.of("a"));
            CompletableFuture<List<Tagged>> b = batcher.submit(List.of("b1", "b2"));
            java.util.concurrent.atomic.AtomicInteger passesWhenAnswered = new java.util.concurrent.atomic.AtomicInteger();
            a.thenRun(() -> passesWhenAnswered.set(model.passes.size())); // on the worker, as it answers
            assertEquals(4, batcher.queue().texts(), "the one under way and the three behind it");
            assertEquals(10 * 512 + 3 * 3, batcher.queue().tokens(), "nothing has run yet");
            model.release.countDown();
            assertEquals(List.of("a"), texts(a));
            assertEquals(List.of("b1", "b2"), texts(b));
            assertEquals(List.of("long"), texts(longOne));
            // the long request's first slice (one window), then the next round: the short ones' windows beside its
            // second slice, answered with that pass
            assertEquals(List.of("long"), model.passes.get(0));
            assertTrue(model.passes.get(1).containsAll(List.of("a", "b1", "b2")), "the short requests went in the round after the one "
                    + "under way: " + model.passes);
            assertEquals(2, passesWhenAnswered.get(), "answered after their own pass: " + model.passes);
            assertEquals(10, model.passes.stream().mapToLong(p -> p.stream().filter("long"::equals).count()).sum(), "each window once");
            assertEquals(0, batcher.waiting());
        }
    }

    /**
     * Large requests go one at a time, least work left first, and a short request is answered as soon as its own pass
     * is through: a round of one window from every large request kept short ones waiting for minutes in a soak.
     */
    @Test
    void largeRequestsGoLeastWorkFirstAndAShortOneIsAnsweredAfterItsOwnPass() throws Exception {
        SlicedModel model = new SlicedModel(6, 0, true);
        // passes of at most 512 tokens: a window of a large request goes alone, short texts together
        try (Batcher batcher = new Batcher(model, 64, 32, 512, 1 << 20, Duration.ofSeconds(60))) {
            CompletableFuture<List<Tagged>> first = batcher.submit(List.of("short first"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<List<Tagged>> six = batcher.submit(List.of("long6"));
            CompletableFuture<List<Tagged>> two = batcher.submit(List.of("long2"));
            CompletableFuture<List<Tagged>> a = batcher.submit(List.of("a"));
            java.util.concurrent.atomic.AtomicInteger passesWhenAnswered = new java.util.concurrent.atomic.AtomicInteger();
            a.thenRun(() -> passesWhenAnswered.set(model.passes.size())); // on the worker, as it answers
            model.release.countDown();
            assertEquals(List.of("long6"), texts(six));
            assertEquals(List.of("long2"), texts(two));
            assertEquals(List.of("a"), texts(a));
            assertEquals(List.of("short first"), texts(first));
            assertEquals(List.of(List.of("short first"), List.of("a"), List.of("long2"), List.of("long2"), List.of("long6"),
                    List.of("long6"), List.of("long6"), List.of("long6"), List.of("long6"), List.of("long6")), model.passes,
                    "the short one first, then the large one with less work, whole, then the other");
            assertEquals(2, passesWhenAnswered.get(), "answered after its own pass, before its round's large slice");
        }
    }

    /** Large requests may fill a bounded share of the queue (four times the per-request budget); short ones still get in. */
    @Test
    void largeRequestsWaitInABoundedShareOfTheQueue() throws Exception {
        SlicedModel model = new SlicedModel(10, 0, true); // "long": 5,120 tokens
        try (Batcher batcher = new Batcher(model, 64, 32, 4096, 8192, Duration.ofSeconds(60))) {
            List<CompletableFuture<List<Tagged>>> large = new ArrayList<>();
            large.add(batcher.submit(List.of("long 0")));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            for (int i = 1; i < 6; i++) large.add(batcher.submit(List.of("long " + i))); // 30,720 tokens in all
            Batcher.Busy busy = assertThrows(Batcher.Busy.class, () -> batcher.submit(List.of("long 6")));
            assertEquals("busy: 30720 model tokens of large requests are already waiting for the model; try again shortly",
                    busy.getMessage());
            CompletableFuture<List<Tagged>> small = batcher.submit(List.of("short"));
            model.release.countDown();
            assertEquals(List.of("short"), texts(small));
            for (CompletableFuture<List<Tagged>> f : large) assertEquals(1, texts(f).size());
            assertEquals(List.of("long 7"), texts(batcher.submit(List.of("long 7"))), "room again once they are done");
        }
    }

    @Test
    void overTheTokenBudgetIsRefusedBeforeQueueingAndABadTextFailsAtOnce() throws Exception {
        SlicedModel model = new SlicedModel(20, 0, false);
        try (Batcher batcher = new Batcher(model, 64, 32, 4096, 8192, Duration.ofSeconds(60))) {
            Batcher.OverBudget e = assertThrows(Batcher.OverBudget.class, () -> batcher.submit(List.of("a", "long")));
            assertTrue(e.getMessage().startsWith("the request's 2 texts make 10243 model tokens"), e.getMessage());
            assertEquals(0, batcher.waiting());
            assertEquals(0, model.passes.size());
        }
        Batcher.Model refusing = new TextModel(texts -> List.of());
        try (Batcher batcher = batcher(new Batcher.Model() {
            @Override
            public xner.infer.PreparedText prepare(String text) {
                if (text.contains("BAD")) throw new IllegalArgumentException("a lone surrogate at 4");
                return refusing.prepare(text);
            }

            @Override
            public float[][] forward(List<int[]> windows) {
                return refusing.forward(windows);
            }

            @Override
            public Tagged postprocess(xner.infer.PreparedText text, float[][] windowLogits) {
                return refusing.postprocess(text, windowLogits);
            }
        })) {
            Batcher.TextFailed failed = failure(batcher.submit(List.of("ok", "x BAD")));
            assertEquals(1, failed.index());
            assertEquals(0, batcher.waiting(), "never queued");
        }
    }

    @Test
    void aCancelledRequestAndOneWaitingPastTheTimeoutAreDroppedAndTheirWindowsNeverRun() throws Exception {
        SlicedModel model = new SlicedModel(2, 0, true);
        try (Batcher batcher = new Batcher(model, 64, 32, 4096, 8192, Duration.ofMillis(500))) {
            CompletableFuture<List<Tagged>> first = batcher.submit(List.of("first"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<List<Tagged>> gone = batcher.submit(List.of("gone"));
            gone.cancel(false); // the client went away
            CompletableFuture<List<Tagged>> late = batcher.submit(List.of("late"));
            assertFalse(batcher.overloaded());
            Thread.sleep(700);
            assertTrue(batcher.overloaded(), "the oldest has waited past the timeout");
            model.release.countDown();
            assertEquals(List.of("first"), texts(first));
            ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
            assertInstanceOf(Batcher.TimedOut.class, e.getCause());
            assertEquals(List.of(List.of("first")), model.passes, "neither the cancelled nor the late request reached the model");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (batcher.waiting() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(0, batcher.waiting());
            assertTrue(batcher.overloaded(), "a request timed out within the last timeout");
        }
    }
}
