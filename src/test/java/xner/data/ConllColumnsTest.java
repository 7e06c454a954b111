package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/** One CoNLL rule for training ({@link ConllReader}) and tagging ({@link RecordReader#conll}): a file reads alike. */
class ConllColumnsTest {
    private static final Charset LATIN_1 = StandardCharsets.ISO_8859_1;

    @TempDir Path dir;

    @Test
    void trainingAndTaggingReadTheSameWordsAndTagsFromOneFile() throws IOException {
        // CoNLL-2003: -DOCSTART-, four columns, tag last
        same("conll03.txt", "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\n",
                StandardCharsets.UTF_8, ColumnLayout.DEFAULT);
        // CoNLL-2002 Dutch: latin-1, and a line whose part of speech ran into its word (two columns among three)
        same("ned.testa", "De Art O\nCaliforni\u00eb N B-LOC\nBelgi\u00ebN B-LOC\nligt V O\n\n", LATIN_1,
                new ColumnLayout(LATIN_1, 1, 0));
        // GermEval 2014: tab-separated, an index column, the outer tag in column 3, a "# source" comment line
        same("germeval.tsv", "# http://de.wikipedia.org/wiki/Manfred_Korfmann [2009-10-17]\n1\tAufgrund\tO\tO\n"
                + "2\tseiner\tO\tO\n3\tEntdeckungen\tO\tO\n\n# n-tv.de vom 26.02.2005 [2005-02-26]\n1\tSchartau\tB-PER\tO\n",
                StandardCharsets.UTF_8, new ColumnLayout(StandardCharsets.UTF_8, 2, 3));
        // tab-separated, a column with spaces at its ends, a word # that is no comment (its tag column holds a tag)
        same("tabs.tsv", "#\tO\nBonn\tNNP \t B-LOC\n\n# text = Bonn liegt\nBonn\tB-LOC\n", StandardCharsets.UTF_8,
                ColumnLayout.DEFAULT);
    }

    @Test
    void aFileToTagMayHoldWordsWithoutTagsAndAOneColumnHashIsAWordThere() throws IOException {
        List<InputRecord> records = records("# text = Jeff Dean\nJeff\nDean\n\n#Zürich\nist\n", StandardCharsets.UTF_8,
                ColumnLayout.DEFAULT);
        assertEquals(List.of("Jeff", "Dean"), ((InputRecord.Words) records.get(0)).words());
        assertNull(((InputRecord.Words) records.get(0)).gold());
        assertEquals(List.of("#Zürich", "ist"), ((InputRecord.Words) records.get(1)).words());
        // where a tag is required, a line of one column cannot be a word: it is a comment before a sentence
        Path train = Files.writeString(dir.resolve("hash.conll"), "#Zürich\nZürich B-LOC\n");
        assertEquals(List.of("Zürich"), ConllReader.readRaw(train, ColumnLayout.DEFAULT).get(0).tokens());
    }

    @Test
    void aLatin1FileIsTaggedWithItsEncodingAndNamedAtItsLineWithout() throws IOException {
        byte[] latin1 = "Belgi\u00eb B-LOC\n\nGent B-LOC\n".getBytes(LATIN_1);
        List<InputRecord> asUtf8 = records(latin1, ColumnLayout.DEFAULT);
        InputRecord.Malformed bad = assertInstanceOf(InputRecord.Malformed.class, asUtf8.get(0));
        assertEquals(1, bad.source().line());
        assertTrue(bad.reason().contains("not UTF-8 text") && bad.reason().contains("--encoding latin-1"), bad.reason());
        assertEquals(List.of("Gent"), ((InputRecord.Words) asUtf8.get(1)).words());

        List<InputRecord> asLatin1 = records(latin1, new ColumnLayout(LATIN_1, 1, 0));
        assertEquals(List.of("Belgi\u00eb"), ((InputRecord.Words) asLatin1.get(0)).words());
        assertEquals(List.of("B-LOC"), ((InputRecord.Words) asLatin1.get(0)).gold());
    }

    @Test
    void mixedSeparatorsSkipTheSentenceWhenTaggingAndStopTheFileWhenTraining() throws IOException {
        String text = "New York\tB-LOC\nYork I-LOC\n\nBonn\tB-LOC\n";
        List<InputRecord> records = records(text, StandardCharsets.UTF_8, ColumnLayout.DEFAULT);
        InputRecord.Malformed bad = assertInstanceOf(InputRecord.Malformed.class, records.get(0));
        assertEquals(1, bad.source().line());
        assertTrue(bad.reason().startsWith("the word \"New York\" holds a space"), bad.reason());
        assertEquals(List.of("Bonn"), ((InputRecord.Words) records.get(1)).words());

        Path file = Files.writeString(dir.resolve("mixed.conll"), "New\tB-LOC\nYork I-LOC\n");
        XnerInputException e = assertThrows(XnerInputException.class, () -> ConllReader.readRaw(file, ColumnLayout.DEFAULT));
        assertEquals(file + ":2: mixed separators: \"York I-LOC\" separates its columns with spaces, line 1 with tabs", e.getMessage());
        InputRecord.Malformed skipped = assertInstanceOf(InputRecord.Malformed.class,
                records(Files.readAllBytes(file), file, ColumnLayout.DEFAULT).get(0));
        assertEquals(new Source(file, 2), skipped.source());
        assertEquals("mixed separators: \"York I-LOC\" separates its columns with spaces, line 1 with tabs; the sentence is skipped",
                skipped.reason());
    }

    @Test
    void aCharsetThatWritesALineEndInTwoBytesIsRefusedForStreaming() {
        XnerInputException e = assertThrows(XnerInputException.class,
                () -> RecordReader.conll(new ByteArrayInputStream(new byte[0]), Path.of("in.conll"),
                        new ColumnLayout(StandardCharsets.UTF_16LE, 1, 0)));
        assertTrue(e.getMessage().startsWith("in.conll: UTF-16LE is read line by line here"), e.getMessage());
    }

    /** Training's sentences and tagging's records of one file are the same words and tags. */
    private void same(String name, String text, Charset charset, ColumnLayout layout) throws IOException {
        Path file = Files.write(dir.resolve(name), text.getBytes(charset));
        List<RawSentence> training = ConllReader.readRaw(file, layout);
        List<InputRecord> tagging = records(Files.readAllBytes(file), file, layout);
        assertEquals(training.size(), tagging.size(), name);
        for (int i = 0; i < training.size(); i++) {
            InputRecord.Words words = assertInstanceOf(InputRecord.Words.class, tagging.get(i), name + " " + tagging.get(i));
            assertEquals(training.get(i).tokens(), words.words(), name);
            assertEquals(training.get(i).tags(), words.gold(), name);
            assertEquals(training.get(i).sources().get(0), words.source(), name);
        }
    }

    private List<InputRecord> records(String text, Charset charset, ColumnLayout layout) throws IOException {
        return records(text.getBytes(charset), layout);
    }

    private List<InputRecord> records(byte[] bytes, ColumnLayout layout) throws IOException {
        return records(bytes, dir.resolve("in.conll"), layout);
    }

    private static List<InputRecord> records(byte[] bytes, Path file, ColumnLayout layout) throws IOException {
        RecordReader reader = RecordReader.conll(new ByteArrayInputStream(bytes), file, layout);
        List<InputRecord> records = new ArrayList<>();
        for (InputRecord r; (r = reader.next()) != null; ) records.add(r);
        return records;
    }
}
