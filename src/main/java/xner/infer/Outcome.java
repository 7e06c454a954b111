package xner.infer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * What one input of a batch came to: its result, or the failure it causes when it runs alone. {@link #each} runs a
 * batch and, when it fails, finds the inputs that fail by bisection, so that one bad text (a lone surrogate the
 * tokenizer refuses, a window the model cannot take) costs its own result and never its batch's.
 *
 * <pre>
 *   for (Outcome&lt;Tagged&gt; o : Outcome.each(texts, pipeline::tagBatch)) {   // as pipeline.tagEach(texts)
 *       if (o.failed()) report(o.failure()); else write(o.value());
 *   }
 * </pre>
 *
 * @param value   the input's result when it did not fail (null only where the batch answered null for it)
 * @param failure what the input threw when run alone, or null when it did not fail
 */
public record Outcome<T>(T value, RuntimeException failure) {
    public Outcome {
        if (value != null && failure != null) throw new IllegalArgumentException("an outcome is a value or a failure, not both");
    }

    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> failed(RuntimeException failure) {
        if (failure == null) throw new IllegalArgumentException("a failure needs its exception");
        return new Outcome<>(null, failure);
    }

    public boolean failed() {
        return failure != null;
    }

    /**
     * Runs {@code inputs} through {@code batch} together; when that throws, finds the inputs that fail by bisection
     * and runs the others in groups as large as they can be. Each input's outcome, in the order of {@code inputs}.
     *
     * <p>An input is failed only by a run of it alone, so its failure is its own. A failing group is cut in two halves
     * and the first half run: if it passes, the failure lies in the second half, which is cut again without being run
     * whole; if it fails too, the second half is run as well. One bad input among n costs at most about 2·log₂ n more
     * runs (n one by one), k bad inputs about k times that, and 2n − 1 when all fail. Only {@link RuntimeException}s are
     * isolated: an {@link Error} (out of memory, a broken native library) goes to the caller at once. A batch that
     * answers another number of results than it was given inputs fails as a group.
     *
     * @param batch the inputs' results, in their order; called with sub-lists of {@code inputs}, never with none
     */
    public static <I, T> List<Outcome<T>> each(List<I> inputs, Function<List<I>, List<T>> batch) {
        List<Outcome<T>> outcomes = new ArrayList<>(Collections.nCopies(inputs.size(), null));
        if (!inputs.isEmpty()) new Bisection<>(inputs, batch, outcomes).run(0, inputs.size());
        return Collections.unmodifiableList(outcomes);
    }

    /** One search: the inputs, the batch, and the outcomes found so far. */
    private record Bisection<I, T>(List<I> inputs, Function<List<I>, List<T>> batch, List<Outcome<T>> outcomes) {
        /** Runs inputs [from, to) together, and isolates the bad ones if that fails; whether any failed. */
        boolean run(int from, int to) {
            try {
                List<T> results = batch.apply(inputs.subList(from, to));
                if (results.size() != to - from) {
                    throw new IllegalStateException("the batch answered " + results.size() + " results for " + (to - from) + " inputs");
                }
                for (int i = from; i < to; i++) outcomes.set(i, ok(results.get(i - from)));
                return false;
            } catch (RuntimeException e) {
                if (to - from == 1) outcomes.set(from, failed(e));
                else isolate(from, to);
                return true;
            }
        }

        /** Inputs [from, to), two or more, fail together: which of them fail, by halves. */
        void isolate(int from, int to) {
            int middle = (from + to) >>> 1;
            if (run(from, middle) || to - middle == 1) run(middle, to); // a lone input is failed only by its own run
            else isolate(middle, to); // the first half passed: the failure is in the second
        }
    }
}
