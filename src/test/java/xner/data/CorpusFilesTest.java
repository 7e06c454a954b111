package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/** A user's own files: every format, encodings, schemes, mappings and the bad input a user meets. */
class CorpusFilesTest {
    @TempDir Path dir;

    private CorpusFiles read(Path file) {
        return CorpusFiles.read(List.of(file), CorpusFileConfig.defaults(), null, LabelMapping.NONE);
    }

    private String error(Runnable action) {
        return assertThrows(XnerInputException.class, action::run).getMessage();
    }

    @Test
    void conllWithPosColumnsTwoColumnLinesAndDocstart() throws IOException {
        // as CoNLL-2002's Dutch files: some lines lost their POS column, the tag is still the last one
        Path file = write("ned.train", "-DOCSTART- -DOCSTART- O\nDe Art O\nBelgi\u00ebN B-LOC\nwint V O\n\nJan N B-PER\nJanssen I-PER\n",
                StandardCharsets.ISO_8859_1);
        CorpusFiles files = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withEncoding(StandardCharsets.ISO_8859_1),
                null, LabelMapping.NONE);
        assertEquals(2, files.sentences().size());
        assertEquals(List.of("De", "Belgi\u00ebN", "wint"), files.sentences().get(0).words());
        assertEquals(List.of("O", "B-LOC", "O"), files.sentences().get(0).tags());
        assertEquals(List.of("B-PER", "I-PER"), files.sentences().get(1).tags());
        assertEquals(new Source(file, 6), files.sources().get(1).get(0));
        assertTrue(files.schemes().get(0).endsWith("2 sentences, conll, tags in IOB2 (detected)"), files.schemes().get(0));
        assertEquals(LabelSet.iob2(List.of("PER", "LOC")), LabelSet.fromData(files.sentences()));
    }

    @Test
    void latin1ReadAsUtf8NamesLineAndByteAndTheOptionToTry() throws IOException {
        Path file = write("ned.testa", "De O\n\nBelgi\u00eb B-LOC\n", StandardCharsets.ISO_8859_1);
        String message = error(() -> read(file));
        assertTrue(message.startsWith(file + ":3: not UTF-8 text (byte 0xeb at byte offset 11)"), message);
        assertTrue(message.contains("--encoding latin-1"), message);
    }

    @Test
    void anyJavaCharsetReads() throws IOException {
        Charset utf16 = StandardCharsets.UTF_16LE;
        Path file = write("x.conll", "Z\u00fcrich B-LOC\n", utf16);
        CorpusFiles files = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withEncoding(utf16), null, LabelMapping.NONE);
        assertEquals(List.of("Z\u00fcrich"), files.sentences().get(0).words());
    }

    @Test
    void germEvalTsvWithCommentsIndexColumnAndNestedTags() throws IOException {
        Path file = write("germeval.tsv", "#\thttp://de.wikipedia.org/wiki/Bern [2009-10-17]\n1\tBern\tB-LOC\tO\n2\tist\tO\tO\n"
                + "3\tdeutschsprachig\tB-LOCderiv\tO\n\n# text = Zweiter\n1\tZweiter\tO\tO\n", StandardCharsets.UTF_8);
        CorpusFiles files = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withColumns(2, 3), null,
                LabelMapping.parse("LOCderiv=O", null));
        assertEquals(List.of("Bern", "ist", "deutschsprachig"), files.sentences().get(0).words());
        assertEquals(List.of("B-LOC", "O", "O"), files.sentences().get(0).tags());
        assertEquals(List.of("Zweiter"), files.sentences().get(1).words());
    }

    @Test
    void hashAsAWordIsKeptWhenItsTagColumnHoldsATag() throws IOException {
        Path file = write("x.conll", "# O\nTag O\n", StandardCharsets.UTF_8);
        assertEquals(List.of("#", "Tag"), read(file).sentences().get(0).words());
    }

    @Test
    void jsonLinesWithNamesAndWithClassLabelIds() throws IOException {
        Path names = write("names.jsonl", "{\"tokens\": [\"Jeff\", \"Dean\"], \"ner_tags\": [\"B-PER\", \"I-PER\"]}\n", StandardCharsets.UTF_8);
        assertEquals(List.of("B-PER", "I-PER"), read(names).sentences().get(0).tags());
        Path ids = write("ids.jsonl", "{\"tokens\": [\"Jeff\", \"Dean\", \"Google\"], \"ner_tags\": [1, 2, 3]}\n", StandardCharsets.UTF_8);
        String message = error(() -> read(ids));
        assertTrue(message.startsWith(ids + ":1: ner_tags[0] is the tag id 1: give the label names"), message);
        CorpusFiles files = CorpusFiles.read(List.of(ids), CorpusFileConfig.defaults(), LabelSet.PANX, LabelMapping.NONE);
        assertEquals(List.of("B-PER", "I-PER", "B-ORG"), files.sentences().get(0).tags());
    }

    @Test
    void panxLayoutIsDetected() throws IOException {
        Path file = write("mine.txt", "de:Bern\tB-LOC\nde:ist\tO\n", StandardCharsets.UTF_8);
        CorpusFiles files = read(file);
        assertEquals(List.of("Bern", "ist"), files.sentences().get(0).words());
        assertTrue(files.schemes().get(0).contains("panx"), files.schemes().get(0));
    }

    @Test
    void formatIsDetectedFromExtensionAndContent() throws IOException {
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(write("a.json", "x O\n", StandardCharsets.UTF_8)));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(write("a.txt", "\n{\"tokens\": []}\n", StandardCharsets.UTF_8)));
        assertEquals(CorpusFormat.PANX, CorpusFormat.detect(write("b.txt", "fr:Paris\tB-LOC\n", StandardCharsets.UTF_8)));
        assertEquals(CorpusFormat.CONLL, CorpusFormat.detect(write("c.txt", "Paris NNP B-LOC\n", StandardCharsets.UTF_8)));
        Path binary = dir.resolve("model.bin");
        Files.write(binary, new byte[] {'P', 'A', 'R', '1', 0, 0, 1});
        assertTrue(error(() -> CorpusFormat.detect(binary)).contains("not a text file (byte 0x00 at offset 4)"));
        assertTrue(error(() -> CorpusFormat.parse("xml")).startsWith("--format: expected conll, jsonl, spans or panx"));
    }

    @Test
    void iob1IobesAndBilouBecomeIob2() throws IOException {
        assertEquals(List.of("B-PER", "I-PER", "O", "B-LOC", "B-LOC"),
                tagsOf("a I-PER\nb I-PER\nc O\nd I-LOC\ne B-LOC\n", "IOB1"));
        assertEquals(List.of("B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG", "I-ORG"),
                tagsOf("a B-PER\nb E-PER\nc O\nd S-LOC\ne B-ORG\nf I-ORG\ng E-ORG\n", "IOBES"));
        assertEquals(List.of("B-PER", "I-PER", "B-LOC"), tagsOf("a B-PER\nb L-PER\nc U-LOC\n", "BILOU"));
    }

    /** One stray I-X after O makes a file IOB1: the report names the line and tag that decided it. */
    @Test
    void theTagThatMadeAFileIob1IsNamed() throws IOException {
        Path stray = write("stray.conll", "a B-PER\nb I-PER\n\nc O\nd I-LOC\n", StandardCharsets.UTF_8);
        assertEquals(stray + ": 2 sentences, conll, tags in IOB1 (detected: " + stray + ":5: \"I-LOC\" opens an entity after "
                + "\"O\"; --scheme IOB2 if that tag is a mistake)", read(stray).schemes().get(0));
    }

    private List<String> tagsOf(String conll, String expectedScheme) throws IOException {
        CorpusFiles files = read(write("s.conll", conll, StandardCharsets.UTF_8));
        assertTrue(files.schemes().get(0).contains("tags in " + expectedScheme + " (detected"), files.schemes().get(0));
        return files.sentences().get(0).tags();
    }

    @Test
    void givenSchemeIsObeyed() throws IOException {
        Path file = write("s.conll", "a O\nb I-PER\n", StandardCharsets.UTF_8);
        String message = error(() -> CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withScheme(TagScheme.IOB2),
                null, LabelMapping.NONE));
        assertEquals(file + ":2: tag \"I-PER\" continues a PER entity that was not opened (IOB2); read with --scheme IOB1 "
                + "if I- may open an entity", message);
    }

    @Test
    void malformedTagsNameTheirLine() throws IOException {
        Path empty = write("e.conll", "a O\nb B-\n", StandardCharsets.UTF_8);
        assertEquals(empty + ":2: tag \"B-\" has no entity type after the prefix", error(() -> read(empty)));
        Path prefix = write("p.conll", "a X-PER\n", StandardCharsets.UTF_8);
        assertTrue(error(() -> read(prefix)).startsWith(prefix + ":1: tag \"X-PER\" is not O or B-, I- followed by a type"));
        Path pos = write("pos.conll", "a DT\nb NN\n", StandardCharsets.UTF_8); // no tag column at all
        assertTrue(error(() -> read(pos)).contains("give --tag-column N"));
        Path iobes = write("bad.conll", "a O\nb E-PER\n", StandardCharsets.UTF_8);
        assertEquals(iobes + ":2: tag \"E-PER\" continues a PER entity that was not opened (IOBES)", error(() -> read(iobes)));
    }

    @Test
    void missingTagColumnAndMixedSeparatorsAndEmptyWords() throws IOException {
        Path oneColumn = write("one.conll", "a O\nb\n", StandardCharsets.UTF_8);
        assertEquals(oneColumn + ":2: expected \"token ... tag\" columns, found \"b\" (no tag)", error(() -> read(oneColumn)));
        Path mixed = write("mixed.conll", "New\tB-LOC\nYork I-LOC\n", StandardCharsets.UTF_8);
        assertEquals(mixed + ":2: mixed separators: \"York I-LOC\" separates its columns with spaces, line 1 with tabs",
                error(() -> read(mixed)));
        Path spaced = write("spaced.conll", "New York\tB-LOC\n", StandardCharsets.UTF_8);
        assertTrue(error(() -> read(spaced)).startsWith(spaced + ":1: the word \"New York\" holds a space"));
        Path noWord = write("noword.conll", "a\tO\n\tB-PER\n", StandardCharsets.UTF_8);
        assertTrue(error(() -> read(noWord)).startsWith(noWord + ":2: no word in column 1"));
        Path column = write("col.conll", "a NN O\nb O\n", StandardCharsets.UTF_8);
        String message = error(() -> CorpusFiles.read(List.of(column), CorpusFileConfig.defaults().withColumns(1, 3), null,
                LabelMapping.NONE));
        assertEquals(column + ":2: expected a tag in column 3 (--tag-column), found \"b O\" (2 columns)", message);
        Path two = write("two.conll", "a O\n", StandardCharsets.UTF_8);
        assertEquals(two + ":1: expected the word in column 5 (--token-column), found \"a O\" (2 columns)",
                error(() -> CorpusFiles.read(List.of(two), CorpusFileConfig.defaults().withColumns(5, 0), null,
                        LabelMapping.NONE)));
    }

    @Test
    void emptySplitAndMissingFilesAreRefused() throws IOException {
        Path blank = write("blank.conll", "\n\n-DOCSTART- O\n", StandardCharsets.UTF_8);
        assertEquals(blank + ": no sentences (its 3 lines are blank, comments or -DOCSTART- lines)", error(() -> read(blank)));
        Path empty = write("empty.conll", "", StandardCharsets.UTF_8);
        assertEquals(empty + ": no sentences (the file is empty)", error(() -> read(empty)));
        assertEquals(dir.resolve("nope") + ": no such file", error(() -> read(dir.resolve("nope"))));
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertEquals(folder + ": a folder without files", error(() -> read(folder)));
    }

    @Test
    void aFolderIsReadInNameOrder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("splits"));
        Files.writeString(folder.resolve("b.conll"), "second O\n");
        Files.writeString(folder.resolve("a.conll"), "first O\n");
        Files.writeString(folder.resolve(".hidden"), "not read\n");
        List<Sentence> sentences = read(folder).sentences();
        assertEquals(List.of("first"), sentences.get(0).words());
        assertEquals(List.of("second"), sentences.get(1).words());
        assertEquals(2, sentences.size());
    }

    @Test
    void aTypeTheLabelSetLacksIsAnErrorNamingTheLineNeverO() throws IOException {
        Path file = write("valid.conll", "a O\nb B-DATE\n", StandardCharsets.UTF_8);
        String message = error(() -> read(file).dataset(LabelSet.PANX, "the model's"));
        assertTrue(message.startsWith(file + ":2: tag \"B-DATE\" is not in the model's label set (O, B-PER"), message);
        assertTrue(message.contains("--map-labels DATE=O"), message);
        CorpusFiles mapped = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults(), null, LabelMapping.parse("DATE=O", null));
        assertEquals(List.of("O", "O"), mapped.dataset(LabelSet.PANX, "the model's").get(0).tags());
    }

    private Path write(String name, String content, Charset charset) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(charset));
    }
}
