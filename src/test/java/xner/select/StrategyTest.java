package xner.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

/** Each strategy's score on logits checked by hand, and the order in which scores are chosen. */
class StrategyTest {
    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);

    @Test
    void mnlpIsTheMeanOverWordsOfTheLogOfTheBestTagsProbability() {
        // uniform over 3 labels: log 1/3; (ln 2, 0, 0): p = (1/2, 1/4, 1/4), log 1/2; confident: log(e^10/(e^10+2)) ≈ 0
        assertEquals(-LN3, Strategy.MNLP.score(Logits.tagged("?a")), 1e-6);
        assertEquals((-LN3 - LN2) / 2, Strategy.MNLP.score(Logits.tagged("?a ~b")), 1e-6);
        double confident = Math.log(Math.exp(10) / (Math.exp(10) + 2));
        assertEquals((-LN3 + confident * 3) / 4, Strategy.MNLP.score(Logits.tagged("?a b c d")), 1e-6);
    }

    @Test
    void entropyIsTheMeanOverWordsOfEachWordsEntropyInNats() {
        assertEquals(LN3, Strategy.ENTROPY.score(Logits.tagged("?a")), 1e-6);
        // (1/2, 1/4, 1/4): 1/2 ln 2 + 2 · 1/4 ln 4 = 1.5 ln 2
        assertEquals((LN3 + 1.5 * LN2) / 2, Strategy.ENTROPY.score(Logits.tagged("?a ~b")), 1e-6);
    }

    @Test
    void aWordIsScoredAtItsFirstSubTokenOnly() {
        // "a ##?x": the word's second sub-token is uniform, but the first (confident) speaks for the word
        assertEquals(Strategy.MNLP.score(Logits.tagged("a")), Strategy.MNLP.score(Logits.tagged("a ##?x")), 1e-12);
        assertEquals(Strategy.MNLP.score(Logits.tagged("?a")), Strategy.MNLP.score(Logits.tagged("?a ##x ##y")), 1e-12);
        assertEquals(List.of("?a", "b"), Strategy.firstSubTokens(Logits.tagged("?a ##x b")).stream().map(t -> t.token()).toList());
    }

    @Test
    void aTextWithoutWordsHasNoScore() {
        assertTrue(Double.isNaN(Strategy.MNLP.score(Logits.tagged(""))));
        assertThrows(IllegalStateException.class, () -> Strategy.RANDOM.score(Logits.tagged("a")));
    }

    @Test
    void mnlpChoosesTheLowestAndEntropyTheHighest() {
        List<String> texts = List.of("a b", "?a ?b", "~a b", "?a b");
        assertEquals(List.of("?a ?b", "?a b", "~a b", "a b"), chosenOrder(Strategy.MNLP, texts));
        assertEquals(List.of("?a ?b", "?a b", "~a b", "a b"), chosenOrder(Strategy.ENTROPY, texts));
        // where they disagree: (1/2, 1/2, 0) has the lower best probability, (3/5, 1/5, 1/5) the higher entropy
        List<String> split = List.of("=a", "^a");
        assertEquals(-LN2, Strategy.MNLP.score(Logits.tagged("=a")), 1e-6);
        assertEquals(Math.log(0.6), Strategy.MNLP.score(Logits.tagged("^a")), 1e-6);
        assertEquals(LN2, Strategy.ENTROPY.score(Logits.tagged("=a")), 1e-6);
        assertEquals(-(0.6 * Math.log(0.6) + 0.4 * Math.log(0.2)), Strategy.ENTROPY.score(Logits.tagged("^a")), 1e-6);
        assertEquals(List.of("=a", "^a"), chosenOrder(Strategy.MNLP, split));
        assertEquals(List.of("^a", "=a"), chosenOrder(Strategy.ENTROPY, split));
    }

    private static List<String> chosenOrder(Strategy s, List<String> texts) {
        Shortlist list = new Shortlist(texts.size(), s.chosenFirst());
        for (int i = 0; i < texts.size(); i++) {
            list.offer(new Candidate(i, texts.get(i), s.score(Logits.tagged(texts.get(i))), new xner.data.InputRecord.Text(
                    new xner.data.Source(java.nio.file.Path.of("pool.txt"), i + 1), texts.get(i), null), null));
        }
        List<String> order = new ArrayList<>();
        for (Candidate c : list.best()) order.add(c.text());
        return order;
    }

    @Test
    void randomKeysDependOnTheSeedAndTheTextAlone() {
        double key = Strategy.randomKey(42, "Jeff Dean");
        assertEquals(key, Strategy.randomKey(42, "Jeff Dean"));
        assertNotEquals(key, Strategy.randomKey(43, "Jeff Dean"));
        assertNotEquals(key, Strategy.randomKey(42, "Jeff Dean "));
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            double k = Strategy.randomKey(7, "text " + i);
            assertTrue(k >= 0 && k < 1, "in [0, 1): " + k);
            sum += k;
        }
        assertEquals(0.5, sum / 10_000, 0.01, "uniform: the mean of 10,000 keys is 1/2 within 3.5 standard errors");
    }

    @Test
    void strategiesAreNamedAsTheOptionTakesThem() {
        assertEquals(Strategy.ENTROPY, Strategy.parse("Entropy", "--strategy"));
        assertEquals("--strategy: expected mnlp, entropy or random, got \"lc\"",
                assertThrows(XnerInputException.class, () -> Strategy.parse("lc", "--strategy")).getMessage());
    }
}
