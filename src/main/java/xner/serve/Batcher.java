package xner.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import xner.infer.Outcome;
import xner.infer.PreparedText;
import xner.infer.TagPipeline;
import xner.infer.Tagged;
import xner.tokenize.Batch;

/**
 * The model's only caller in the service: requests wait here, and one worker thread runs their windows through the
 * model a forward pass at a time, taking turns between requests, so that the model's two threads are never fought
 * over and concurrent requests share passes.
 *
 * <p>A request is prepared on its caller's thread ({@link #submit}: tokenized and cut into windows), which is where
 * its cost in model tokens becomes known: over {@code maxRequestTokens} it is refused ({@link OverBudget}) before any
 * model work. The worker then goes in rounds: every small request under way and the large one with the least work
 * left give their next slice (windows up to {@value #SLICE_TOKENS} tokens, at least one), the round's windows go
 * through the model in passes grouped by length, and a request is answered as soon as the pass with its last window
 * is through (passes go shortest first). A short
 * request that arrives behind a large one waits for the rest of one round, not for the large request.
 *
 * <p>Refusals and failures, each its caller's to answer: {@link Busy} (the queue holds {@code maxQueue} texts, or the
 * service stops), {@link TimedOut} (waited past {@code requestTimeout}: dropped, its remaining windows never run),
 * {@link TextFailed} (one text could not be prepared or tagged; in a pass that fails the windows that fail alone are
 * found by bisection, so one bad window fails its own request and never the others in its pass). A request whose future is cancelled
 * (its client went away) is dropped at the next round.
 */
final class Batcher implements AutoCloseable {
    /** The queue is full, or the service stops: try again later. */
    static final class Busy extends Exception {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** Tagging one text of a request failed: {@code index} is its place in the request's texts. */
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

    /** The request costs more model tokens than one request may. */
    static final class OverBudget extends Exception {
        OverBudget(String message) {
            super(message, null, false, false);
        }
    }

    /** The request waited for the model longer than the request timeout, and was dropped. */
    static final class TimedOut extends Exception {
        TimedOut(String message) {
            super(message, null, false, false);
        }
    }

    /** The pipeline's three stages as the worker drives them: a {@link TagPipeline}'s, or a test's stand-in. */
    interface Model {
        /** Tokenizes {@code text} and cuts it into windows; throws for a text the model cannot take. */
        PreparedText prepare(String text);

        /** One forward pass: the logits of each window (flattened position × label). */
        float[][] forward(List<int[]> windows);

        /** A text's tagging from the logits of its windows, in window order. */
        Tagged postprocess(PreparedText text, float[][] windowLogits);

        static Model of(TagPipeline pipeline) {
            return new Model() {
                @Override
                public PreparedText prepare(String text) {
                    return pipeline.prepare(text);
                }

                @Override
                public float[][] forward(List<int[]> windows) {
                    return pipeline.forwardPass(windows);
                }

                @Override
                public Tagged postprocess(PreparedText text, float[][] windowLogits) {
                    return pipeline.postprocess(text, windowLogits);
                }
            };
        }
    }

    /**
     * The most tokens a request runs in one round when others wait: one window at the usual maximum length, which is what
     * a short request waits behind a large one, at most, per request under way. At 1,024 a short request beside a client
     * sending 20,000-character texts back to back waited 1.9 s at the median (ONNX int8, 2 cores: a 512-token window
     * takes about a second there beside short requests; docs/results/serve-fair/).
     */
    static final int SLICE_TOKENS = 512;
    private static final long WAKE_UP_MILLIS = 50;

    /** How many texts and model tokens wait, and for how long the oldest request has. */
    record Queue(int texts, long tokens, Duration oldest) {}

    /** A request under way: its texts' windows, the logits each has so far, and where the next window is. */
    private static final class Job {
        final List<PreparedText> texts;
        final float[][][] logits; // [text][window]
        final CompletableFuture<List<Tagged>> result = new CompletableFuture<>();
        final long arrived; // System.nanoTime()
        final long deadline;
        int nextText;
        int nextWindow;
        int windowsLeft;
        volatile long tokensLeft; // written by the worker only; read by /health
        final long largeTokens; // its tokens when it counts as large for admission, else 0

        Job(List<PreparedText> texts, long arrived, long deadline, long largeTokens) {
            this.texts = texts;
            this.largeTokens = largeTokens;
            this.arrived = arrived;
            this.deadline = deadline;
            this.logits = new float[texts.size()][][];
            for (int i = 0; i < texts.size(); i++) {
                logits[i] = new float[texts.get(i).windowCount()][];
                windowsLeft += texts.get(i).windowCount();
                tokensLeft += texts.get(i).tokens();
            }
        }

        boolean hasNext() {
            return nextText < texts.size();
        }

        int nextLength() {
            return texts.get(nextText).window(nextWindow).length;
        }

        Piece next() {
            Piece p = new Piece(this, nextText, nextWindow, texts.get(nextText).window(nextWindow));
            if (++nextWindow == texts.get(nextText).windowCount()) {
                nextText++;
                nextWindow = 0;
            }
            return p;
        }
    }

    /** Window {@code window} of text {@code text} of a request. */
    private record Piece(Job job, int text, int window, int[] ids) {}

    private final Model model;
    private final int maxQueue;
    private final int maxBatch;
    private final int maxTokensPerPass;
    private final long maxRequestTokens;
    private final Duration requestTimeout;
    private final BlockingQueue<Job> inbox = new LinkedBlockingQueue<>();
    private final Set<Job> live = ConcurrentHashMap.newKeySet(); // submitted and not yet answered
    private final AtomicInteger waiting = new AtomicInteger(); // texts of the live requests, for admission
    private final AtomicLong largeTokens = new AtomicLong(); // model tokens of the live large requests, for admission
    private final AtomicLong passes = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;
    private volatile boolean draining;
    private volatile long drainDeadline; // System.nanoTime() after which waiting requests are refused
    private volatile long lastTimeOut = Long.MIN_VALUE; // System.nanoTime() when a request last timed out

    /**
     * @param maxQueue         the most texts waiting (under way included); {@link Busy} beyond
     * @param maxBatch         the most windows in one forward pass
     * @param maxTokensPerPass the most padded tokens in one forward pass (one longer window still goes, alone)
     * @param maxRequestTokens the most model tokens one request may cost; {@link OverBudget} beyond
     * @param requestTimeout   how long a request may wait for its answer before it is dropped ({@link TimedOut})
     */
    Batcher(Model model, int maxQueue, int maxBatch, int maxTokensPerPass, long maxRequestTokens, Duration requestTimeout) {
        this.model = model;
        this.maxQueue = maxQueue;
        this.maxBatch = maxBatch;
        this.maxTokensPerPass = maxTokensPerPass;
        this.maxRequestTokens = maxRequestTokens;
        this.requestTimeout = requestTimeout;
        this.worker = new Thread(this::work, "xner-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Prepares {@code texts} on the caller's thread and queues them; the future completes with their tagging, in
     * order, or fails with {@link TextFailed}, {@link TimedOut}, {@link Busy} (the service stopped first) or an
     * {@link Error}. Cancelling the future drops the request.
     *
     * @throws OverBudget the texts cost more than {@code maxRequestTokens} model tokens
     * @throws Busy       the queue is full, or the service is stopping
     */
    CompletableFuture<List<Tagged>> submit(List<String> texts) throws Busy, OverBudget {
        if (closed || draining) throw new Busy("the service is shutting down");
        List<PreparedText> prepared = new ArrayList<>(texts.size());
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            try {
                prepared.add(model.prepare(texts.get(i)));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(new TextFailed(i, e));
            }
            tokens += prepared.get(i).tokens();
            // stop preparing at the budget: tokenizing the rest of a 1 MB request cost the short ones beside it
            if (tokens > maxRequestTokens) throw overBudget(texts.size(), i + 1, tokens);
        }
        synchronized (this) { // with close(): no request is queued after the worker's last look, so none is left unanswered
            if (closed || draining) throw new Busy("the service is shutting down");
            int n = texts.size();
            boolean large = tokens > SLICE_TOKENS;
            // large requests share a bounded part of the queue: clients that send 20,000-character texts and hang up
            // (HTTP/1.1 does not say so while a request waits) filled all of it, and every short request got 503
            if (large && largeTokens.get() + tokens > maxLargeTokens()) {
                throw new Busy("busy: " + largeTokens.get() + " model tokens of large requests are already waiting for the "
                        + "model; try again shortly");
            }
            if (waiting.addAndGet(n) > maxQueue) {
                waiting.addAndGet(-n);
                throw queueFull();
            }
            if (large) largeTokens.addAndGet(tokens);
            long now = System.nanoTime();
            Job job = new Job(prepared, now, now + requestTimeout.toNanos(), large ? tokens : 0);
            live.add(job);
            inbox.add(job);
            return job.result;
        }
    }

    private OverBudget overBudget(int texts, int counted, long tokens) {
        String cost = counted == texts
                ? (texts == 1 ? " text makes " : " texts make ") + tokens + " model tokens"
                : " texts make more: the first " + counted + (counted == 1 ? " alone makes " : " alone make ") + tokens + " model tokens";
        return new OverBudget("the request's " + texts + cost + " (sub-tokens of every window), over the limit of "
                + maxRequestTokens + " per request (--max-request-tokens): send fewer or shorter texts in more requests");
    }

    /** Refuses at once when the queue holds as many texts as it may: a request can be refused before its body is read. */
    void requireRoom() throws Busy {
        if (waiting.get() >= maxQueue) throw queueFull();
    }

    private Busy queueFull() {
        return new Busy("busy: " + maxQueue + " texts are already waiting for the model; try again shortly");
    }

    /** Texts of the requests not yet answered (those under way included). */
    int waiting() {
        return queue().texts();
    }

    /** What waits for the model now. */
    Queue queue() {
        int texts = 0;
        long tokens = 0;
        long oldest = Long.MAX_VALUE;
        for (Job j : live) {
            if (j.result.isDone()) continue; // answered a moment ago; the worker removes it next
            texts += j.texts.size();
            tokens += j.tokensLeft;
            oldest = Math.min(oldest, j.arrived);
        }
        return new Queue(texts, tokens, oldest == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - oldest));
    }

    /**
     * Whether requests wait longer than the request timeout: the oldest waits longer now, or one was dropped for it
     * within the last timeout.
     */
    boolean overloaded() {
        long timedOutAgo = System.nanoTime() - lastTimeOut;
        return queue().oldest().compareTo(requestTimeout) > 0 || lastTimeOut != Long.MIN_VALUE && timedOutAgo < requestTimeout.toNanos();
    }

    /** Forward passes run so far, those that failed included. */
    long passes() {
        return passes.get();
    }

    /**
     * Takes no more requests ({@link Busy} from {@link #submit}) and tags those waiting for up to {@code timeout}; those
     * still waiting then fail with {@link Busy}, the model stopping after its current forward pass (the worker is never
     * interrupted: a thread interrupted inside libtorch can leave it broken).
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
        List<Job> active = new ArrayList<>(); // arrival order
        try {
            while (!closed) {
                if (pastDrainDeadline()) {
                    refuse(active);
                    refuseWaiting();
                }
                // a timed wait, so that a drain's deadline and close() are seen without interrupting the worker
                Job first = active.isEmpty() ? inbox.poll(WAKE_UP_MILLIS, TimeUnit.MILLISECONDS) : inbox.poll();
                if (first != null) active.add(first);
                inbox.drainTo(active);
                dropGone(active);
                if (active.isEmpty()) continue;
                try {
                    round(active);
                } catch (Error e) {
                    // out of memory, a broken native library: nothing to isolate, and trying again could make it worse
                    for (Job j : active) j.result.completeExceptionally(e);
                }
                finish(active);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refuse(active);
        refuseWaiting();
    }

    /** Removes the requests whose client went away (cancelled) and those past their deadline (answered {@link TimedOut}). */
    private void dropGone(List<Job> active) {
        long now = System.nanoTime();
        for (Iterator<Job> it = active.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (!j.result.isDone() && now - j.deadline > 0) {
                lastTimeOut = now;
                j.result.completeExceptionally(new TimedOut("the request waited more than " + requestTimeout.toSeconds()
                        + " s for the model (--request-timeout): the service is overloaded; try again later"));
            }
            if (j.result.isDone()) {
                leave(j);
                it.remove();
            }
        }
    }

    /**
     * One round: the next slice of every small request (at most {@value #SLICE_TOKENS} tokens left) and of the one large
     * request with the least work left, through the model in passes of windows of similar length. Why not a slice of
     * every large request: the hung-up clients of a soak (HTTP/1.1 does not tell a server that a client closed while
     * its request waits) queued hundreds of 20,000-character requests, and a round of one window each kept every short
     * request waiting for minutes. Large requests finish one after the other, least work first; one that waits past
     * the request timeout is dropped.
     */
    private void round(List<Job> active) {
        List<Job> byWorkLeft = new ArrayList<>(active);
        byWorkLeft.sort(Comparator.comparingLong(j -> j.tokensLeft)); // stable: arrival order among equals
        List<Piece> pieces = new ArrayList<>();
        boolean largeTaken = false;
        for (Job j : byWorkLeft) {
            if (!j.hasNext() || j.result.isDone()) continue;
            if (j.tokensLeft > SLICE_TOKENS) {
                if (largeTaken) continue;
                largeTaken = true;
            }
            int tokens = 0;
            while (j.hasNext() && (tokens == 0 || tokens + j.nextLength() <= SLICE_TOKENS)) {
                Piece p = j.next();
                pieces.add(p);
                tokens += p.ids().length;
            }
        }
        int[] lengths = pieces.stream().mapToInt(p -> p.ids().length).toArray();
        for (int[] pass : Batch.passes(lengths, maxBatch, maxTokensPerPass)) {
            if (pastDrainDeadline()) return; // the next turn of work() refuses them all
            List<Piece> chosen = new ArrayList<>(pass.length);
            for (int i : pass) {
                if (!pieces.get(i).job().result.isDone()) chosen.add(pieces.get(i)); // not for a request already failed
            }
            if (chosen.isEmpty()) continue;
            forward(chosen);
            // answer a request as soon as its last window is through: not after the round's longer passes
            for (Piece p : chosen) {
                if (!p.job().result.isDone() && p.job().windowsLeft == 0) complete(p.job());
            }
        }
    }

    /**
     * Runs one pass; if it fails, the windows that fail alone are found by bisection ({@link Outcome#each}), so that a
     * failing window fails its own request only. A window of a request that has failed meanwhile is not run again.
     */
    private void forward(List<Piece> pass) {
        Set<Job> failed = new HashSet<>(); // requests with a window that failed alone in this search
        List<Outcome<float[]>> outcomes = Outcome.each(pass, group -> {
            List<Piece> wanted = group.stream().filter(p -> !failed.contains(p.job()) && !p.job().result.isDone()).toList();
            List<float[]> logits = new ArrayList<>(Collections.nCopies(group.size(), null));
            if (wanted.isEmpty()) return logits;
            passes.incrementAndGet();
            float[][] out;
            try {
                out = model.forward(wanted.stream().map(Piece::ids).toList());
            } catch (RuntimeException e) {
                if (group.size() == 1) failed.add(group.get(0).job()); // alone: its failure is its own (Outcome.each)
                throw e;
            }
            if (out.length != wanted.size()) {
                throw new IllegalStateException("the model answered " + out.length + " windows for " + wanted.size());
            }
            for (int i = 0, w = 0; i < group.size(); i++) {
                if (w < wanted.size() && group.get(i) == wanted.get(w)) logits.set(i, out[w++]);
            }
            return logits;
        });
        for (int i = 0; i < pass.size(); i++) { // failures first: a window's logits are kept only for a request still under way
            Piece p = pass.get(i);
            if (outcomes.get(i).failed()) p.job().result.completeExceptionally(new TextFailed(p.text(), outcomes.get(i).failure()));
        }
        for (int i = 0; i < pass.size(); i++) {
            Piece p = pass.get(i);
            if (p.job().result.isDone()) continue;
            p.job().logits[p.text()][p.window()] = outcomes.get(i).value();
            p.job().windowsLeft--;
            p.job().tokensLeft -= p.ids().length;
        }
    }

    /** Answers and removes the requests whose windows are all done, and removes those already answered (failed). */
    private void finish(List<Job> active) {
        for (Iterator<Job> it = active.iterator(); it.hasNext(); ) {
            Job j = it.next();
            if (!j.result.isDone() && j.windowsLeft == 0) complete(j);
            if (j.result.isDone()) {
                leave(j);
                it.remove();
            }
        }
    }

    private void complete(Job job) {
        List<Tagged> tagged = new ArrayList<>(job.texts.size());
        for (int i = 0; i < job.texts.size(); i++) {
            try {
                tagged.add(model.postprocess(job.texts.get(i), job.logits[i]));
            } catch (RuntimeException e) {
                job.result.completeExceptionally(new TextFailed(i, e));
                return;
            }
        }
        job.result.complete(tagged);
    }

    /** The most model tokens large requests may have waiting at once: four requests at the per-request budget. */
    private long maxLargeTokens() {
        return maxRequestTokens > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 4 * maxRequestTokens;
    }

    private void leave(Job job) {
        if (live.remove(job)) {
            waiting.addAndGet(-job.texts.size());
            largeTokens.addAndGet(-job.largeTokens);
        }
    }

    /** Fails {@code jobs} with {@link Busy}: the service stops before they could be tagged. */
    private void refuse(List<Job> jobs) {
        for (Job j : jobs) {
            j.result.completeExceptionally(new Busy("the service is shutting down: try again when it is back"));
            leave(j);
        }
        jobs.clear();
    }

    /** Fails every request still in the inbox with {@link Busy}. */
    private void refuseWaiting() {
        List<Job> waitingJobs = new ArrayList<>();
        inbox.drainTo(waitingJobs);
        refuse(waitingJobs);
    }

    /**
     * Stops the worker once its forward pass, if any, is done (waiting up to {@code patience}); requests still
     * waiting fail with {@link Busy}. Returns whether the worker stopped: if not, the model is still in use.
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
