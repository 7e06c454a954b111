package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

class ConllReaderTest {
    static final LabelSet CONLL = new LabelSet(List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"));

    @TempDir Path dir;

    @Test
    void readsFirstColumnAsTokenAndLastAsTagSkippingDocstart() throws IOException {
        Path file = write("-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n\n"
                + "Peter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n");
        List<Sentence> sentences = read(file);
        assertEquals(2, sentences.size());
        assertEquals(List.of("EU", "rejects", "German"), sentences.get(0).words());
        assertEquals(List.of("B-ORG", "O", "B-MISC"), sentences.get(0).tags());
        assertEquals(List.of("B-PER", "I-PER"), sentences.get(1).tags());
        assertEquals(new Source(file, 3), sentences.get(0).source());
        assertEquals(new Source(file, 7), sentences.get(1).source());
    }

    @Test
    void iob1BecomesIob2() throws IOException {
        // IOB1 uses B- only between two adjacent entities of one type
        Path file = write("a I-PER\nb I-PER\nc I-LOC\nd O\ne I-LOC\nf B-LOC\ng I-LOC\nh I-ORG\n");
        assertEquals(List.of("B-PER", "I-PER", "B-LOC", "O", "B-LOC", "B-LOC", "I-LOC", "B-ORG"),
                read(file).get(0).tags());
    }

    @Test
    void iob2IsLeftAsItIs() throws IOException {
        List<String> iob2 = List.of("B-PER", "I-PER", "B-PER", "O", "B-LOC", "I-LOC", "I-LOC", "B-ORG", "I-ORG");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < iob2.size(); i++) text.append("w").append(i).append(' ').append(iob2.get(i)).append('\n');
        assertEquals(iob2, read(write(text.toString())).get(0).tags());
    }

    @Test
    void tabsAndRunsOfSpacesSeparateColumns() throws IOException {
        Sentence s = read(write("Bonn\tNNP \t B-LOC\n")).get(0);
        assertEquals(List.of("Bonn"), s.words());
        assertEquals(List.of("B-LOC"), s.tags());
    }

    @Test
    void docstartWithoutBlankLineEndsTheSentence() throws IOException {
        assertEquals(2, read(write("a O\n-DOCSTART- -X- O O\nb O\n")).size());
    }

    @Test
    void lineWithOneColumnIsRefusedWithFileAndLine() throws IOException {
        Path file = write("EU B-ORG\nrejects\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> read(file));
        assertEquals(file + ":2: expected \"token ... tag\" columns, found \"rejects\" (no tag)", e.getMessage());
    }

    @Test
    void aLineStartingWithATabHasNoWordInASpaceSeparatedFileToo() throws IOException {
        Path file = write("Jeff B-PER\n\tNNP I-PER\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> read(file));
        assertEquals(file + ":2: no word in column 1 of \"<TAB>NNP I-PER\" (the line starts with a tab)", e.getMessage());
    }

    @Test
    void aTagOutsideTheLabelSetIsRefusedAtItsLineInItsIob2Form() throws IOException {
        Path file = write("EU O\nrejects I-VERB\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: tag \"B-VERB\" is not in the test's label set"), e.getMessage());
    }

    @Test
    void byteOrderMarkAndCrlfAreTolerated() throws IOException {
        List<Sentence> sentences = read(write("\uFEFFEU B-ORG\r\n\r\nBonn B-LOC\r\n"));
        assertEquals(List.of("EU"), sentences.get(0).words());
        assertEquals(List.of("B-LOC"), sentences.get(1).tags());
    }

    @Test
    void fileWithOnlyDocstartIsRefused() throws IOException {
        Path file = write("-DOCSTART- -X- O O\n\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> read(file));
        assertEquals(file + ": no sentences (its 2 lines are blank, comments or -DOCSTART- lines)", e.getMessage());
    }

    @Test
    void missingFileIsRefused() {
        Path file = dir.resolve("missing.conll");
        assertEquals(file + ": no such file", assertThrows(XnerInputException.class, () -> read(file)).getMessage());
    }

    /** The file as training reads it: CoNLL columns, the scheme detected and converted to IOB2, tags checked. */
    private static List<Sentence> read(Path file) {
        return CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withFormat(CorpusFormat.CONLL), null, LabelMapping.NONE)
                .dataset(CONLL, "the test's").sentences();
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("train.conll"), content, StandardCharsets.UTF_8);
    }
}
