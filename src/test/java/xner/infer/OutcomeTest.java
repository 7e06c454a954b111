package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Outcome#each}: one batch, and when it fails the bad inputs found by bisection, each good one tagged. */
class OutcomeTest {
    /**
     * A batch that fails whenever it holds an input named in {@code bad} (as the tokenizer fails a whole batch on one
     * lone surrogate), naming the first such input; otherwise each input upper-cased. Every call is recorded.
     */
    static final class Failing {
        final Set<String> bad;
        final List<List<String>> calls = new ArrayList<>();

        Failing(Set<String> bad) {
            this.bad = bad;
        }

        List<String> tag(List<String> texts) {
            calls.add(List.copyOf(texts));
            for (String t : texts) if (bad.contains(t)) throw new IllegalArgumentException("bad text " + t);
            return texts.stream().map(String::toUpperCase).toList();
        }
    }

    static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "t" + i).toList();
    }

    /** Each input's value, or "!" and its failure's message. */
    static List<String> describe(List<Outcome<String>> outcomes) {
        return outcomes.stream().map(o -> o.failed() ? "!" + o.failure().getMessage() : o.value()).toList();
    }

    static List<String> expected(List<String> texts, Set<String> bad) {
        return texts.stream().map(t -> bad.contains(t) ? "!bad text " + t : t.toUpperCase()).toList();
    }

    /** The most runs bisection may take for {@code bad} bad inputs among {@code n}: two per halving for each. */
    static int bound(int bad, int n) {
        return 1 + bad * 2 * (32 - Integer.numberOfLeadingZeros(n - 1));
    }

    @Test
    void aBatchWithoutABadInputRunsOnce() {
        Failing batch = new Failing(Set.of());
        List<String> in = texts(10);
        assertEquals(expected(in, Set.of()), describe(Outcome.each(in, batch::tag)));
        assertEquals(List.of(in), batch.calls);
    }

    @Test
    void oneBadInputAmongManyFailsAloneAndTheOthersAreTaggedInLogarithmicallyManyRuns() {
        List<String> in = texts(512);
        for (int at : List.of(0, 1, 255, 256, 300, 511)) {
            Set<String> bad = Set.of("t" + at);
            Failing batch = new Failing(bad);
            assertEquals(expected(in, bad), describe(Outcome.each(in, batch::tag)), "bad at " + at);
            assertTrue(batch.calls.size() <= bound(1, in.size()), "bad at " + at + ": " + batch.calls.size() + " runs, not 512");
            assertTrue(batch.calls.contains(List.of("t" + at)), "the bad input was run alone");
            assertEquals(in.size() - 1, batch.calls.stream().filter(c -> !c.contains("t" + at)).mapToInt(List::size).sum(),
                    "each good input tagged once, in the run that passed");
        }
    }

    @Test
    void severalBadInputsEachFailAloneInAboutBadTimesLogNRuns() {
        List<String> in = texts(1000);
        Set<String> bad = Set.of("t3", "t4", "t517", "t998");
        Failing batch = new Failing(bad);
        assertEquals(expected(in, bad), describe(Outcome.each(in, batch::tag)));
        assertTrue(batch.calls.size() <= bound(bad.size(), in.size()), batch.calls.size() + " runs");
        assertTrue(batch.calls.size() < 100, batch.calls.size() + " runs, not one per input");
    }

    @Test
    void whenAllFailEachFailsWithItsOwnFailure() {
        List<String> in = texts(8);
        Set<String> bad = Set.copyOf(in);
        Failing batch = new Failing(bad);
        List<Outcome<String>> out = Outcome.each(in, batch::tag);
        assertEquals(expected(in, bad), describe(out));
        out.forEach(o -> assertNull(o.value()));
        assertEquals(2 * in.size() - 1, batch.calls.size(), "every group of the halving, down to each input alone");
    }

    @Test
    void aBatchOfOneThatFailsIsNotRunAgain() {
        Failing batch = new Failing(Set.of("t0"));
        assertEquals(List.of("!bad text t0"), describe(Outcome.each(texts(1), batch::tag)));
        assertEquals(1, batch.calls.size());
    }

    @Test
    void aFailingBatchOfThreeRunsEachAloneWhenTheFirstHalfPasses() {
        Failing batch = new Failing(Set.of("t1"));
        assertEquals(List.of("T0", "!bad text t1", "T2"), describe(Outcome.each(texts(3), batch::tag)));
        assertEquals(List.of(texts(3), List.of("t0"), List.of("t1"), List.of("t2")), batch.calls,
                "the second half is not run whole once the first passed: the failure is known to be there");
    }

    @Test
    void outcomesAreInInputOrder() {
        List<String> in = new ArrayList<>(List.of("b", "x", "a", "y", "c", "z", "a"));
        Set<String> bad = Set.of("x", "z");
        assertEquals(List.of("B", "!bad text x", "A", "Y", "C", "!bad text z", "A"), describe(Outcome.each(in, new Failing(bad)::tag)));
    }

    @Test
    void aBatchThatAnswersTheWrongNumberOfResultsFailsAsAGroup() {
        List<List<String>> calls = new ArrayList<>();
        List<Outcome<String>> out = Outcome.each(texts(4), group -> {
            calls.add(group);
            return group.size() == 1 ? List.of(group.get(0).toUpperCase()) : List.of("one");
        });
        assertEquals(List.of("T0", "T1", "T2", "T3"), describe(out));
        assertFalse(out.get(0).failed());
        assertEquals(7, calls.size(), "4, then 2 and 2, then each alone");
    }

    @Test
    void anErrorIsNotIsolated() {
        List<Integer> calls = new ArrayList<>();
        assertThrows(OutOfMemoryError.class, () -> Outcome.each(texts(4), group -> {
            calls.add(group.size());
            throw new OutOfMemoryError("native memory");
        }));
        assertEquals(List.of(4), calls, "an Error goes to the caller at once, never retried");
    }

    @Test
    void noInputsNoRun() {
        assertEquals(List.of(), Outcome.each(List.<String>of(), texts -> {
            throw new AssertionError("no run for no inputs");
        }));
    }

    @Test
    void anOutcomeIsAValueOrAFailure() {
        assertThrows(IllegalArgumentException.class, () -> new Outcome<>("x", new IllegalStateException()));
        assertThrows(IllegalArgumentException.class, () -> Outcome.failed(null));
    }

    /** The pipeline's own: {@link TagPipeline#tagEach} and {@link TagPipeline#tagWordsEach} give what the batch gives. */
    @Test
    void thePipelinesEachMethodsTagAsItsBatchMethods(@TempDir Path dir) {
        try (TagPipeline pipeline = TagPipeline.load(KeywordModel.standard(dir.resolve("model")))) {
            List<String> texts = List.of("Jeff Dean ist bei Google", "", "Müller in Zürich");
            List<Outcome<Tagged>> each = pipeline.tagEach(texts);
            List<Tagged> batch = pipeline.tagBatch(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertFalse(each.get(i).failed());
                assertEquals(batch.get(i).predict(Aggregation.FIRST), each.get(i).value().predict(Aggregation.FIRST));
            }
            List<List<String>> sentences = List.of(List.of("Jeff", "Dean"), List.of("Google"));
            List<Outcome<Tagged>> words = pipeline.tagWordsEach(sentences);
            assertEquals(pipeline.tagWordsBatch(sentences).get(1).predict(Aggregation.FIRST),
                    words.get(1).value().predict(Aggregation.FIRST));
            assertInstanceOf(Tagged.class, words.get(0).value());
        }
    }
}
