package xner.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import xner.infer.Tagged;

/**
 * A queue of requests in front of the model and one worker thread that takes what is waiting, up to
 * {@code maxBatch} texts, and tags it in one pipeline call: concurrent requests share forward passes, and the
 * model's two threads are never fought over. A request that would put more than {@code maxQueue} texts in
 * waiting is refused at once (the caller answers 503).
 */
final class Batcher implements AutoCloseable {
    /** The queue is full: try again later. */
    static final class Busy extends Exception {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    private record Job(List<String> texts, CompletableFuture<List<Tagged>> result) {}

    private final Function<List<String>, List<Tagged>> tagger;
    private final int maxQueue;
    private final int maxBatch;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong batches = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    Batcher(Function<List<String>, List<Tagged>> tagger, int maxQueue, int maxBatch) {
        this.tagger = tagger;
        this.maxQueue = maxQueue;
        this.maxBatch = maxBatch;
        this.worker = new Thread(this::work, "xner-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues {@code texts}; the future completes with their tagging, in order. */
    CompletableFuture<List<Tagged>> submit(List<String> texts) throws Busy {
        if (closed) throw new Busy("the service is shutting down");
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

    /** Pipeline calls made so far. */
    long batches() {
        return batches.get();
    }

    private void work() {
        while (!closed) {
            List<Job> jobs = new ArrayList<>();
            try {
                jobs.add(queue.take());
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
            try {
                List<Tagged> tagged = tagger.apply(texts);
                batches.incrementAndGet();
                int from = 0;
                for (Job j : jobs) {
                    j.result().complete(tagged.subList(from, from + j.texts().size()));
                    from += j.texts().size();
                }
            } catch (RuntimeException | Error e) {
                for (Job j : jobs) j.result().completeExceptionally(e);
            }
        }
        for (Job j; (j = queue.poll()) != null; ) j.result().completeExceptionally(new Busy("the service is shutting down"));
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
