package xner.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xner.data.LabelSet;

/** The chapter's error-analysis aggregations on two sequences whose answers are worked out by hand below. */
class ErrorAnalysisTest {
    static final int IGN = WordTags.IGNORE;
    // labels: O=0 B-PER=1 I-PER=2 B-ORG=3 I-ORG=4 B-LOC=5 I-LOC=6
    static final SequenceLosses JEFF = new SequenceLosses(List.of("[CLS]", "Jeff", "Dean", "ist", "[SEP]"),
            new int[] {IGN, 1, 2, 0, IGN}, new int[] {0, 1, 0, 0, 0}, new float[] {0f, 0.5f, 2.0f, 0.1f, 0f});
    static final SequenceLosses BERLIN = new SequenceLosses(List.of("[CLS]", "Dean", "(", "Berlin", ")", "[SEP]"),
            new int[] {IGN, 1, 0, 5, 0, IGN}, new int[] {0, 3, 0, 5, 0, 0}, new float[] {0f, 1.5f, 0.2f, 0.3f, 0.4f, 0f});
    static final ErrorAnalysis ANALYSIS = new ErrorAnalysis(List.of(JEFF, BERLIN), LabelSet.PANX);

    @Test
    void tokensAreGroupedOverLabelledPositionsAndSortedBySum() {
        List<ErrorAnalysis.LossGroup> groups = ANALYSIS.byToken();
        // Dean: 2.0 + 1.5 over 2; specials carry no label and do not appear
        assertEquals(List.of("Dean", "Jeff", ")", "Berlin", "(", "ist"), groups.stream().map(ErrorAnalysis.LossGroup::key).toList());
        ErrorAnalysis.LossGroup dean = groups.get(0);
        assertEquals(2, dean.count());
        assertEquals(3.5, dean.sum(), 1e-6);
        assertEquals(1.75, dean.mean(), 1e-6);
    }

    @Test
    void labelsAreGroupedByGoldLabelAndSortedByMean() {
        List<ErrorAnalysis.LossGroup> groups = ANALYSIS.byLabel();
        assertEquals(List.of("I-PER", "B-PER", "B-LOC", "O"), groups.stream().map(ErrorAnalysis.LossGroup::key).toList());
        assertEquals(2, groups.get(1).count());        // Jeff 0.5 + Dean 1.5
        assertEquals(1.0, groups.get(1).mean(), 1e-6);
        assertEquals(3, groups.get(3).count());        // ist 0.1, ( 0.2, ) 0.4
        assertEquals(0.7, groups.get(3).sum(), 1e-6);
        assertEquals(0.7 / 3, groups.get(3).mean(), 1e-6);
    }

    @Test
    void confusionMatrixCountsLabelledPositionsAndNormalisesEachGoldRow() {
        ConfusionMatrix m = ANALYSIS.confusion();
        assertEquals(7, m.total());
        assertArrayEquals(new long[] {0, 1, 0, 1, 0, 0, 0}, m.counts()[1]); // B-PER → B-PER once, B-ORG once
        double[][] n = m.normalised();
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5, 0, 0, 0}, n[1], 1e-12);
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, 0}, n[2], 1e-12);  // I-PER → O
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, 0}, n[0], 1e-12);
        assertArrayEquals(new double[7], n[4], 0);                           // I-ORG never occurs: zeros
        String text = m.format(2);
        assertTrue(text.startsWith("gold\\pred"), text);
        assertTrue(text.lines().filter(l -> l.startsWith("B-PER")).findFirst().orElseThrow().contains("0.50"), text);
    }

    @Test
    void wordTagsGiveTheSameMatrixAsTheLabelledPositions() {
        int[][] predicted = {JEFF.predicted(), BERLIN.predicted()};
        int[][] gold = {JEFF.labels(), BERLIN.labels()};
        ConfusionMatrix fromWords = ConfusionMatrix.of(WordTags.align(predicted, gold, LabelSet.PANX), LabelSet.PANX);
        for (int i = 0; i < 7; i++) assertArrayEquals(ANALYSIS.confusion().counts()[i], fromWords.counts()[i], "row " + i);
    }

    @Test
    void highestLossSequencesComeFirstAndCanBeFilteredByToken() {
        assertEquals(2.6, JEFF.totalLoss(), 1e-6);
        assertEquals(2.4, BERLIN.totalLoss(), 1e-6);
        assertEquals(List.of(JEFF, BERLIN), ANALYSIS.highestLoss(5, null));
        assertEquals(List.of(JEFF), ANALYSIS.highestLoss(1, null));
        assertEquals(List.of(BERLIN), ANALYSIS.highestLoss(5, "("));
        assertEquals(List.of(), ANALYSIS.highestLoss(5, "Zürich"));
    }

    @Test
    void sequenceRowsAreAlignedAndMarkUnlabelledPositionsIgn() {
        List<String> rows = ANALYSIS.rows(JEFF).lines().toList();
        assertEquals(4, rows.size());
        assertEquals("tokens  [CLS]  Jeff   Dean   ist   [SEP]", rows.get(0));
        assertEquals("labels  IGN    B-PER  I-PER  O     IGN", rows.get(1));
        assertEquals("preds   O      B-PER  O      O     O", rows.get(2));
        assertEquals("losses  0.00   0.50   2.00   0.10  0.00", rows.get(3));
    }

    @Test
    void reportAndJsonCarryTheSameSelections() {
        String text = ANALYSIS.report(2, 1, "(");
        assertTrue(text.startsWith("2 sequences, 7 labelled tokens"), text);
        assertTrue(text.contains("Dean        2     1.75      3.50"), text);
        assertTrue(text.contains("among those containing \"(\""), text);
        assertTrue(text.contains("total loss 2.40"), text);
        Map<String, Object> json = ANALYSIS.toJson(2, 1, "(");
        assertEquals(2, ((List<?>) json.get("by_token")).size());
        assertEquals(4, ((List<?>) json.get("by_label")).size());
        List<?> worst = (List<?>) json.get("highest_loss");
        assertEquals(1, worst.size());
        assertEquals(List.of("IGN", "B-PER", "O", "B-LOC", "O", "IGN"), ((Map<?, ?>) worst.get(0)).get("labels"));
    }

    @Test
    void idsOutsideTheLabelSetAreRefused() {
        SequenceLosses bad = new SequenceLosses(List.of("a"), new int[] {9}, new int[] {0}, new float[] {1f});
        assertThrows(IllegalArgumentException.class, () -> new ErrorAnalysis(List.of(bad), LabelSet.PANX));
        assertThrows(IllegalArgumentException.class,
                () -> new SequenceLosses(List.of("a", "b"), new int[] {0}, new int[] {0}, new float[] {1f}));
    }
}
