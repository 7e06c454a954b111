package xner.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** seqeval's {@code mode="strict", scheme=IOB2} beside its default mode, and words cut off by truncation. */
class StrictModeTest {
    @Test
    void anITagThatOpensNothingIsNoEntityInStrictMode() {
        List<List<String>> tags = List.of(List.of("I-PER", "I-PER", "O", "B-LOC", "I-LOC", "I-ORG", "B-PER"));
        // default: I-PER I-PER is a PER, I-ORG opens an ORG
        assertEquals(List.of(new EntityChunker.Chunk("PER", 0, 1), new EntityChunker.Chunk("LOC", 3, 4),
                new EntityChunker.Chunk("ORG", 5, 5), new EntityChunker.Chunk("PER", 6, 6)), EntityChunker.chunks(tags));
        // strict: only B- opens
        assertEquals(List.of(new EntityChunker.Chunk("LOC", 3, 4), new EntityChunker.Chunk("PER", 6, 6)),
                EntityChunker.strictChunks(tags));
    }

    @Test
    void strictScoresDifferOnlyWherePredictionsStartWithI() {
        List<List<String>> gold = List.of(List.of("B-PER", "I-PER", "O", "B-LOC"));
        List<List<String>> predicted = List.of(List.of("I-PER", "I-PER", "O", "B-LOC"));
        assertEquals(1.0, EntityScorer.score(gold, predicted).f1(), 1e-12);
        EntityScores strict = EntityScorer.score(gold, predicted, true);
        assertEquals(1.0, strict.precision(), 1e-12); // the one strict prediction, LOC, is right
        assertEquals(0.5, strict.recall(), 1e-12);
    }

    @Test
    void positionsCountAcrossSentencesAsInDefaultMode() {
        List<List<String>> two = List.of(List.of("B-PER"), List.of("O", "B-LOC", "I-LOC"));
        assertEquals(EntityChunker.chunks(two), EntityChunker.strictChunks(two));
    }

    @Test
    void wordsWithoutSubTokensArePredictedOAndCountAsMissesWithTheirGoldKept() {
        // [CLS] Jeff Dean \u200b(nothing) Zürich [SEP] — then words 3 and 4 cut off: only "Jeff" is tagged by the model
        int[][] predicted = {{0, 1, 0, 0}};
        int[][] wordOfToken = {{-1, 0, 1, -1}};
        List<List<String>> gold = List.of(List.of("B-PER", "O", "B-LOC", "I-LOC"));
        WordTags whole = WordTags.ofWords(predicted, wordOfToken, gold, xner.data.LabelSet.PANX);
        assertEquals(2, WordTags.wordsWithoutTokens(wordOfToken, gold));
        assertEquals(List.of("B-PER", "O", "B-LOC", "I-LOC"), whole.gold().get(0));
        assertEquals(List.of("B-PER", "O", "O", "O"), whole.predicted().get(0));
        assertEquals(0.5, whole.score().recall(), 1e-12);
        assertEquals(1.0, whole.score().precision(), 1e-12);
    }
}
