package xner.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.evaluate.EntityChunker.Chunk;

class EntityScorerTest {
    private static List<String> tags(String line) {
        return Arrays.asList(line.split(" "));
    }

    @Test
    void chaptersExamplePrintsSeqevalsReport() {
        var gold = List.of(tags("O O O B-MISC I-MISC I-MISC O"), tags("B-PER I-PER O"));
        var predicted = List.of(tags("O O B-MISC I-MISC I-MISC I-MISC O"), tags("B-PER I-PER O"));
        EntityScores scores = EntityScorer.score(gold, predicted);
        String expected = ""
                + "              precision    recall  f1-score   support\n"
                + "\n"
                + "        MISC       0.00      0.00      0.00         1\n"
                + "         PER       1.00      1.00      1.00         1\n"
                + "\n"
                + "   micro avg       0.50      0.50      0.50         2\n"
                + "   macro avg       0.50      0.50      0.50         2\n"
                + "weighted avg       0.50      0.50      0.50         2\n";
        assertEquals(expected, scores.report(2).replace(System.lineSeparator(), "\n"));
        assertEquals(0.5, scores.f1(), 1e-12);
    }

    @Test
    void iTagThatDoesNotContinueStartsANewEntity() {
        // conlleval / seqeval default: I-PER after O begins an entity; I-ORG after B-PER is a second one
        assertEquals(List.of(new Chunk("PER", 1, 2), new Chunk("PER", 3, 3), new Chunk("ORG", 4, 4)),
                EntityChunker.chunksOf(tags("O I-PER I-PER B-PER I-ORG O")));
    }

    @Test
    void entityAtSentenceEndIsClosedAndDoesNotRunIntoTheNextSentence() {
        var chunks = EntityChunker.chunks(List.of(tags("O B-LOC I-LOC"), tags("I-LOC O")));
        // the flat sequence is "O B-LOC I-LOC O I-LOC O O": the O between sentences splits them
        assertEquals(List.of(new Chunk("LOC", 1, 2), new Chunk("LOC", 4, 4)), chunks);
    }

    @Test
    void partialMatchesCountAsBothAFalsePositiveAndAFalseNegative() {
        var gold = List.of(tags("B-ORG I-ORG I-ORG O B-PER"));
        var predicted = List.of(tags("B-ORG I-ORG O O B-PER"));
        EntityScores s = EntityScorer.score(gold, predicted);
        assertEquals(0.5, s.precision(), 1e-12);
        assertEquals(0.5, s.recall(), 1e-12);
        assertEquals(0.0, s.perType().get("ORG").f1(), 1e-12);
        assertEquals(1.0, s.perType().get("PER").f1(), 1e-12);
    }

    @Test
    void emptyPredictionsScoreZeroWithoutDividingByZero() {
        var gold = List.of(tags("B-PER O B-LOC"));
        var predicted = List.of(tags("O O O"));
        EntityScores s = EntityScorer.score(gold, predicted);
        assertEquals(0.0, s.precision());
        assertEquals(0.0, s.recall());
        assertEquals(0.0, s.f1());
        assertEquals(2, s.support());
        assertEquals(1, s.perType().get("LOC").support());
    }

    @Test
    void typeOnlyPredictedAppearsWithZeroSupportAndLowersTheMacroAverage() {
        var gold = List.of(tags("B-PER O"));
        var predicted = List.of(tags("B-PER B-LOC"));
        EntityScores s = EntityScorer.score(gold, predicted);
        assertEquals(0, s.perType().get("LOC").support());
        assertEquals(0.5, s.micro().precision(), 1e-12);
        assertEquals(1.0, s.micro().recall(), 1e-12);
        assertEquals(0.5, s.macro().f1(), 1e-12); // (1 + 0) / 2
        assertEquals(1.0, s.weighted().f1(), 1e-12); // LOC has weight 0
    }

    @Test
    void mismatchedSentenceLengthsAreRejectedWithThePosition() {
        var e = assertThrows(XnerInputException.class,
                () -> EntityScorer.score(List.of(tags("O O")), List.of(tags("O"))));
        assertEquals("sentence 0: 2 gold tags but 1 predicted", e.getMessage());
    }

    @Test
    void alignmentDropsIgnoredPositionsAndKeepsFirstSubTokens() {
        // [CLS] Jeff Dean ist Info ##rmat [SEP] with labels on the first sub-token of each word only
        int[][] labels = {{-100, 1, 2, 0, 0, -100, -100}};
        int[][] predicted = {{0, 1, 2, 0, 5, 6, 0}};
        WordTags words = WordTags.align(predicted, labels, LabelSet.PANX);
        assertEquals(List.of(tags("B-PER I-PER O O")), words.gold());
        assertEquals(List.of(tags("B-PER I-PER O B-LOC")), words.predicted());
    }
}
