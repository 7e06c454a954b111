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

class PanxReaderTest {
    @TempDir Path dir;
    private final PanxReader reader = new PanxReader();

    @Test
    void readsSentencesSeparatedByBlankLinesWithTheirStartLines() throws IOException {
        Path file = write("train", "de:als\tO\nde:Teil\tO\nde:Savoyer\tB-LOC\nde:Voralpen\tI-LOC\n\nde:Antonina\tB-PER\n\n");
        List<Sentence> sentences = reader.read(file);
        assertEquals(2, sentences.size());
        assertEquals(List.of("als", "Teil", "Savoyer", "Voralpen"), sentences.get(0).words());
        assertEquals(List.of("O", "O", "B-LOC", "I-LOC"), sentences.get(0).tags());
        assertEquals(new Source(file, 1), sentences.get(0).source());
        assertEquals(new Source(file, 6), sentences.get(1).source());
    }

    @Test
    void stripsTheLanguagePrefixUpToTheFirstColonOnly() throws IOException {
        List<Sentence> sentences = reader.read(write("train", "de:3:57,22\tO\nde::\tO\n"));
        assertEquals(List.of("3:57,22", ":"), sentences.get(0).words());
    }

    @Test
    void acceptsALastSentenceThatEndsAtEndOfFile() throws IOException {
        List<Sentence> sentences = reader.read(write("dev", "it:Roma\tB-LOC\n\nit:Greater\tB-LOC\nit:London\tI-LOC"));
        assertEquals(2, sentences.size());
        assertEquals(List.of("Greater", "London"), sentences.get(1).words());
        assertEquals(List.of("B-LOC", "I-LOC"), sentences.get(1).tags());
    }

    @Test
    void toleratesSeveralBlankLinesBetweenSentences() throws IOException {
        List<Sentence> sentences = reader.read(write("train", "\n\nen:a\tO\n\n\n\nen:b\tO\n\n\n"));
        assertEquals(2, sentences.size());
        assertEquals(3, sentences.get(0).source().line());
        assertEquals(7, sentences.get(1).source().line());
    }

    @Test
    void lineWithoutTagIsRefusedWithFileAndLine() throws IOException {
        Path file = write("train", "de:als\tO\nde:Bucht\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertEquals(file + ":2: expected \"lang:token<TAB>tag\", found \"de:Bucht\" (no tag)", e.getMessage());
    }

    @Test
    void tagOutsideTheLabelSetIsRefusedWithFileAndLine() throws IOException {
        Path file = write("train", "de:als\tO\n\nde:Bonn\tB-MISC\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3: unknown tag \"B-MISC\" (the label set is O, B-PER,"), e.getMessage());
    }

    @Test
    void tagWithTrailingSpaceIsRefusedNotTrimmed() throws IOException {
        Path file = write("train", "de:als\tO \n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1: unknown tag \"O \""), e.getMessage());
    }

    @Test
    void lineWithoutLanguagePrefixIsRefused() throws IOException {
        Path file = write("train", "de:als\tO\nBucht\tO\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: ") && e.getMessage().endsWith("(no language prefix)"), e.getMessage());
    }

    @Test
    void prefixOfAnotherLanguageIsRefused() throws IOException {
        // a token that only looks like a prefix ("3:57") is caught here rather than read as "57"
        Path file = write("train", "de:als\tO\n3:57\tO\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: language prefix \"3\" differs from \"de\""), e.getMessage());
    }

    @Test
    void lineWithTwoTabsIsRefused() throws IOException {
        Path file = write("train", "de:als\tO\tO\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1: ") && e.getMessage().endsWith("(more than one tab)"), e.getMessage());
    }

    @Test
    void emptyTokenIsRefused() throws IOException {
        Path file = write("train", "de:\tO\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertEquals(file + ":1: empty token in \"de:<TAB>O\"", e.getMessage());
    }

    @Test
    void leadingByteOrderMarkIsDropped() throws IOException {
        List<Sentence> sentences = reader.read(write("train", "\uFEFFde:als\tO\n"));
        assertEquals(List.of("als"), sentences.get(0).words());
    }

    @Test
    void crlfLineEndingsAreAccepted() throws IOException {
        Path file = write("train", "de:Danziger\tB-LOC\r\nde:Bucht\tI-LOC\r\n\r\nde:.\tO\r\n");
        List<Sentence> sentences = reader.read(file);
        assertEquals(2, sentences.size());
        assertEquals(List.of("B-LOC", "I-LOC"), sentences.get(0).tags());
        assertEquals(new Source(file, 4), sentences.get(1).source());
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path file = write("train", "");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertEquals(file + ": no sentences (the file is empty)", e.getMessage());
    }

    @Test
    void fileOfBlankLinesIsRefused() throws IOException {
        Path file = write("train", "\n\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertEquals(file + ": no sentences (its 2 lines are blank, comments or -DOCSTART- lines)", e.getMessage());
    }

    @Test
    void missingFileIsRefused() {
        Path file = dir.resolve("nope");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void folderIsRefused() {
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(dir));
        assertEquals(dir + ": is a folder, expected a file", e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirLine() throws IOException {
        Path file = dir.resolve("latin1");
        Files.write(file, "de:als\tO\n\nde:N".getBytes(StandardCharsets.UTF_8));
        Files.write(file, new byte[] {(byte) 0xee, 'm', 'e', 's', '\t', 'B', '-', 'L', 'O', 'C', '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3: not UTF-8 text (byte 0xee at byte offset "), e.getMessage());
        assertTrue(e.getMessage().contains("--encoding latin-1"), e.getMessage());
    }

    @Test
    void untaggedFileGivesTokensOnly() throws IOException {
        Path file = write("test.untagged", "it:Washington\nit:Mystics\n\nit:Rai\nit:1");
        List<UntaggedSentence> sentences = reader.readUntagged(file);
        assertEquals(2, sentences.size());
        assertEquals(List.of("Washington", "Mystics"), sentences.get(0).tokens());
        assertEquals(new Source(file, 4), sentences.get(1).source());
    }

    @Test
    void untaggedReadingRefusesATaggedLine() throws IOException {
        Path file = write("test.untagged", "it:Roma\tB-LOC\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> reader.readUntagged(file));
        assertTrue(e.getMessage().startsWith(file + ":1: expected \"lang:token\" (an untagged file)"), e.getMessage());
    }

    @Test
    void taggedReadingRefusesAnUntaggedFile() throws IOException {
        Path file = write("test.untagged", "it:Roma\n");
        assertThrows(XnerInputException.class, () -> reader.read(file));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
