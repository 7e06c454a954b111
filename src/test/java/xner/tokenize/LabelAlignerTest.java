package xner.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.data.Sentence;
import xner.data.Source;

class LabelAlignerTest {
    private static final int X = LabelAligner.IGNORE;
    // O=0 B-PER=1 I-PER=2 B-ORG=3 I-ORG=4 B-LOC=5 I-LOC=6

    /** An encoding with the given word ids (tokens and offsets do not matter to alignment). */
    private static Encoding withWordIds(Integer... wordIds) {
        List<String> tokens = new ArrayList<>();
        List<Integer> zeros = new ArrayList<>();
        List<Integer> special = new ArrayList<>();
        for (Integer w : wordIds) {
            tokens.add("t");
            zeros.add(0);
            special.add(w == Encoding.NO_WORD ? 1 : 0);
        }
        return new Encoding(tokens, zeros, List.of(wordIds), zeros, zeros, special, zeros, false);
    }

    // [CLS] Jeff Dean ist ein Info ##rmat ##iker bei Google in Kalifornien [SEP]
    private static final Encoding JEFF_DEAN = withWordIds(-1, 0, 1, 2, 3, 4, 4, 4, 5, 6, 7, 8, -1);
    private static final List<Integer> JEFF_DEAN_LABELS = List.of(1, 2, 0, 0, 0, 0, 3, 0, 5);

    @Test
    void firstSubTokenCarriesWordLabel() {
        assertEquals(List.of(X, 1, 2, 0, 0, 0, X, X, 0, 3, 0, 5, X), new LabelAligner(LabelSet.PANX).align(JEFF_DEAN, JEFF_DEAN_LABELS));
    }

    @Test
    void labellingAllSubTokensTurnsABeginningIntoInsideAfterTheFirst() {
        var all = new LabelAligner(LabelSet.PANX, LabelAligner.SubTokens.ALL);
        // "Kalifornien" as B-LOC split in three: B-LOC I-LOC I-LOC; an I-ORG word keeps I-ORG; O stays O
        Encoding e = withWordIds(-1, 0, 0, 0, 1, 1, 2, 2, -1);
        assertEquals(List.of(X, 5, 6, 6, 4, 4, 0, 0, X), all.align(e, List.of(5, 4, 0)));
        assertEquals(List.of(X, 1, 2, 0, 0, 0, 0, 0, 0, 3, 0, 5, X), all.align(JEFF_DEAN, JEFF_DEAN_LABELS));
    }

    @Test
    void aBeginningWithoutItsInsideLabelIsKept() {
        var all = new LabelAligner(new LabelSet(List.of("O", "B-MISC")), LabelAligner.SubTokens.ALL);
        assertEquals(List.of(X, 1, 1, X), all.align(withWordIds(-1, 0, 0, -1), List.of(1)));
    }

    @Test
    void wordsCutOffByTruncationGetNoLabel() {
        // five words, truncated after the second token of word 2
        Encoding truncated = withWordIds(-1, 0, 1, 2, 2, -1);
        assertEquals(List.of(X, 1, 2, 0, X, X), new LabelAligner(LabelSet.PANX).align(truncated, List.of(1, 2, 0, 5, 6)));
    }

    @Test
    void tagNamesOfASentenceAreMappedThroughTheLabelSet() {
        Sentence s = new Sentence(List.of("Jeff", "Dean", "ist", "ein", "Informatiker", "bei", "Google", "in", "Kalifornien"),
                List.of("B-PER", "I-PER", "O", "O", "O", "O", "B-ORG", "O", "B-LOC"), new Source(Path.of("de/train"), 7));
        assertEquals(List.of(X, 1, 2, 0, 0, 0, X, X, 0, 3, 0, 5, X), new LabelAligner(LabelSet.PANX).align(JEFF_DEAN, s));
        Sentence bad = new Sentence(List.of("Jeff"), List.of("B-PERSON"), new Source(Path.of("de/train"), 12));
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> new LabelAligner(LabelSet.PANX).align(withWordIds(-1, 0, -1), bad));
        assertTrue(e.getMessage().startsWith("de/train:12: ") && e.getMessage().contains("B-PERSON"), e.getMessage());
    }

    @Test
    void labelsThatDoNotFitTheEncodingAreRejected() {
        var aligner = new LabelAligner(LabelSet.PANX);
        assertThrows(IllegalArgumentException.class, () -> aligner.align(JEFF_DEAN, List.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> aligner.align(withWordIds(-1, 0, -1), List.of(7)));
    }

    @Test
    void alignsARealPanxSentenceEncodedByMultilingualBert() {
        // PAN-X fr train, sentence 4 (first 21 words): accents and sub-words
        List<String> words = List.of("Après", "deux", "nuls", "(", "Guingamp", "et", "Amiens", ")", "et", "deux", "défaites",
                "(", "Charleroi", "et", "Lokeren", ")", ",", "les", "hommes", "Antoine", "Kombouaré");
        List<String> tags = List.of("O", "O", "O", "O", "B-ORG", "O", "B-ORG", "O", "O", "O", "O", "O", "B-ORG", "O", "B-ORG",
                "O", "O", "O", "O", "B-PER", "I-PER");
        Sentence s = new Sentence(words, tags, new Source(Path.of("fr/train"), 16));
        Encoding e = WordPieceTokenizerTest.mbert().encodeWords(words);
        List<Integer> labels = new LabelAligner(LabelSet.PANX).align(e, s);
        int labelled = 0;
        for (int i = 0; i < e.size(); i++) {
            boolean first = e.wordIds().get(i) != Encoding.NO_WORD && (i == 0 || !e.wordIds().get(i).equals(e.wordIds().get(i - 1)));
            if (first) {
                labelled++;
                assertEquals(LabelSet.PANX.indexOf(tags.get(e.wordIds().get(i))), labels.get(i), e.tokens().get(i));
            } else {
                assertEquals(X, labels.get(i), e.tokens().get(i));
            }
        }
        assertEquals(words.size(), labelled);
        assertTrue(e.size() > words.size() + 2, "some words are split into several sub-tokens: " + e.tokens());
    }
}
