package xner.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import xner.infer.Tagged;

/**
 * A queue of requests in front of the model and one worker thread that takes what is waiting, up to
 * {@code maxBatch} texts, and tags it in one pipeline call: concurrent requests share forward passes, and the
 * model's two threads are never fought over. A request that would put more than {@code maxQueue} texts in
 * waiting is refused at once (the caller answers 503).
 *
 * <p>When a pipeline call fails, the batch is split in halves and each half tagged again, down to single texts:
 * one bad text (a lone surrogate that breaks the tokenizer) fails its own request with {@link TextFailed},
 * never the innocent requests tagged with it.
 */
final class Batcher implements AutoCloseable {
    /** The queue is full: try again later. */
    static final class Busy extends Exception {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** Tagging one text of a request failed, tagged alone: {@code index} is its place in the request's texts. */
    static final class TextFailed extends Exception {
        private final int index;

        TextFailed(int index, RuntimeException cause) {
            super("text " + index + " could not be tagged", cause, false, false);
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    private static final long WAKE_UP_MILLIS = 50;

    /**
     * What tags a batch: the pipeline's {@code tagBatch}, which gives up between two forward passes once {@code stop}
     * says so ({@link CancellationException}).
     */
    interface Tagger {
        List<Tagged> tag(List<String> texts, BooleanSupplier stop);
    }

    private record Job(List<String> texts, CompletableFuture<List<Tagged>> result) {}

    private final Tagger tagger;
    private final int maxQueue;
    private final int maxBatch;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;
    private volatile boolean draining;
    private volatile long drainDeadline; // System.nanoTime() after which waiting texts are refused

    /** A batcher over a tagger that cannot stop before its batch is done (tests). */
    Batcher(Function<List<String>, List<Tagged>> tagger, int maxQueue, int maxBatch) {
        this((texts, stop) -> tagger.apply(texts), maxQueue, maxBatch);
    }

    Batcher(Tagger tagger, int maxQueue, int maxBatch) {
        this.tagger = tagger;
        this.maxQueue = maxQueue;
        this.maxBatch = maxBatch;
        this.worker = new Thread(this::work, "xner-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues {@code texts}; the future completes with their tagging, in order, or fails with {@link TextFailed}
     * (one of them cannot be tagged), {@link Busy} (the service stopped first) or an {@link Error}.
     */
    synchronized CompletableFuture<List<Tagged>> submit(List<String> texts) throws Busy {
        if (closed || draining) throw new Busy("the service is shutting down");
        int n = texts.size();
        if (waiting.addAndGet(n) > maxQueue) {
            waiting.addAndGet(-n);
            throw new Busy("busy: " + maxQueue + " texts are already waiting for the model; try again shortly");
        }
        Job job = new Job(List.copyOf(texts), new CompletableFuture<>());
        queue.add(job);
        return job.result();
    }

    /** Texts waiting for the model (not those it is tagging now). */
    int waiting() {
        return waiting.get();
    }

    /** Pipeline calls made so far, those that failed included. */
    long batches() {
        return batches.get();
    }

    /**
     * Takes no more requests ({@link Busy} from {@link #submit}) and tags those waiting for up to {@code timeout}; those
     * still waiting then fail with {@link Busy}. The pipeline call under way when the time is up stops after its
     * current forward pass, and its requests fail with {@link Busy} too (the worker is never interrupted: a thread
     * interrupted inside libtorch can leave it broken).
     */
    void drain(Duration timeout) {
        drainDeadline = System.nanoTime() + timeout.toNanos();
        draining = true;
    }

    /** Whether the model should stop after its current forward pass: closed, or draining past the deadline. */
    private boolean pastDrainDeadline() {
        return closed || draining && System.nanoTime() - drainDeadline > 0;
    }

    private void work() {
        while (!closed) {
            if (draining && System.nanoTime() - drainDeadline > 0) refuseWaiting();
            List<Job> jobs = new ArrayList<>();
            try {
                // a timed wait, so that a drain's deadline and close() are seen without interrupting the worker
                Job first = queue.poll(WAKE_UP_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                jobs.add(first);
            } catch (InterruptedException e) {
                break;
            }
            int count = jobs.get(0).texts().size();
            // one consumer: what peek() sees, poll() takes
            for (Job next; (next = queue.peek()) != null && count + next.texts().size() <= maxBatch; ) {
                jobs.add(queue.poll());
                count += next.texts().size();
            }
            waiting.addAndGet(-count);
            List<String> texts = new ArrayList<>(count);
            for (Job j : jobs) texts.addAll(j.texts());
            Object[] outcomes = new Object[count]; // a Tagged or the RuntimeException of that text tagged alone
            try {
                tag(texts, 0, count, outcomes);
            } catch (CancellationException e) {
                // stopping, and the drain's time is up: these requests get 503, the model is free after this pass
                for (Job j : jobs) j.result().completeExceptionally(new Busy("the service is shutting down: try again when it is back"));
                continue;
            } catch (Error e) {
                // out of memory, a broken native library: nothing to isolate, and trying again could make it worse
                for (Job j : jobs) j.result().completeExceptionally(e);
                continue;
            }
            int from = 0;
            for (Job j : jobs) {
                complete(j, outcomes, from);
                from += j.texts().size();
            }
        }
        refuseWaiting();
    }

    /** Fails every request still waiting with {@link Busy}: the service stops before it could tag them. */
    private void refuseWaiting() {
        for (Job j; (j = queue.poll()) != null; ) {
            waiting.addAndGet(-j.texts().size());
            j.result().completeExceptionally(new Busy("the service is shutting down: try again when it is back"));
        }
    }

    /** Tags {@code texts[from, to)} into {@code outcomes}; a failed call is tried again in halves, down to one text. */
    private void tag(List<String> texts, int from, int to, Object[] outcomes) {
        try {
            batches.incrementAndGet();
            List<Tagged> tagged = tagger.tag(texts.subList(from, to), this::pastDrainDeadline);
            if (tagged.size() != to - from) {
                throw new IllegalStateException("the pipeline answered " + tagged.size() + " texts for " + (to - from));
            }
            for (int i = from; i < to; i++) outcomes[i] = tagged.get(i - from);
        } catch (CancellationException e) {
            throw e; // not a bad text: the service stops
        } catch (RuntimeException e) {
            if (to - from == 1) {
                outcomes[from] = e;
            } else {
                int middle = (from + to) >>> 1;
                tag(texts, from, middle, outcomes);
                tag(texts, middle, to, outcomes);
            }
        }
    }

    /** Completes {@code job}, whose texts' outcomes start at {@code from}: its first failed text fails it. */
    private static void complete(Job job, Object[] outcomes, int from) {
        List<Tagged> tagged = new ArrayList<>(job.texts().size());
        for (int i = 0; i < job.texts().size(); i++) {
            Object outcome = outcomes[from + i];
            if (outcome instanceof RuntimeException e) {
                job.result().completeExceptionally(new TextFailed(i, e));
                return;
            }
            tagged.add((Tagged) outcome);
        }
        job.result().complete(tagged);
    }

    /**
     * Stops the worker once its pipeline call, if any, is done (waiting up to {@code patience}); requests still
     * waiting fail with {@link Busy}. Returns whether the worker stopped: if not, the pipeline is still in use.
     */
    boolean close(Duration patience) {
        synchronized (this) {
            closed = true; // under submit's lock: no request is queued after this, so none is left unanswered
        }
        try {
            worker.join(Math.max(1, patience.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) return false;
        refuseWaiting(); // submitted while the worker was stopping
        return true;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
