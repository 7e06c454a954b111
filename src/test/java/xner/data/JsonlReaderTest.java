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

class JsonlReaderTest {
    @TempDir Path dir;

    @Test
    void readsTagIdsAndTagNames() throws IOException {
        Path file = write("{\"tokens\": [\"Jeff\", \"Dean\", \"ist\"], \"ner_tags\": [1, 2, 0], \"langs\": [\"de\", \"de\", \"de\"]}\n"
                + "{\"tokens\": [\"Google\"], \"ner_tags\": [\"B-ORG\"]}\n");
        List<Sentence> sentences = read(file);
        assertEquals(List.of("Jeff", "Dean", "ist"), sentences.get(0).words());
        assertEquals(List.of("B-PER", "I-PER", "O"), sentences.get(0).tags());
        assertEquals(List.of("B-ORG"), sentences.get(1).tags());
    }

    @Test
    void eachSentenceNamesItsLineAndBlankLinesAreSkipped() throws IOException {
        Path file = write("\n{\"tokens\": [\"a\"], \"ner_tags\": [0]}\n\n{\"tokens\": [\"b\"], \"ner_tags\": [0]}\n\n");
        List<Sentence> sentences = read(file);
        assertEquals(new Source(file, 2), sentences.get(0).source());
        assertEquals(new Source(file, 4), sentences.get(1).source());
    }

    @Test
    void truncatedJsonIsRefusedWithFileAndLine() throws IOException {
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [0]}\n{\"tokens\": [\"a\"\n", ":2: bad JSON: End of input at column 16 (path $.tokens[1])");
    }

    /** Gson's getAsInt threw NumberFormatException on an exponent past its limit (found reviewing the fuzz target). */
    @Test
    void aTagIdWithAHugeExponentIsReadByItsValue() throws IOException {
        assertEquals(List.of("O"), read(write("{\"tokens\": [\"a\"], \"ner_tags\": [1e-99999]}\n")).get(0).tags());
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [1e99999]}\n", ":1: ner_tags[0] is 1e99999, expected a tag id or a tag name");
    }

    @Test
    void lenientJsonIsRefused() throws IOException {
        assertRefused("{tokens: ['a'], ner_tags: [0]}\n", ":1: bad JSON: malformed at column 3");
    }

    @Test
    void textAfterTheObjectIsRefused() throws IOException {
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [0]} {}\n", ":1: bad JSON: malformed at column 37 (path $)");
    }

    @Test
    void aNameTwiceAndNanAreRefusedAsTagsJsonLinesAre() throws IOException {
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [0], \"tokens\": [\"b\"]}\n",
                ":1: bad JSON: duplicate name at column 44 (path $.tokens): the name \"tokens\" twice in one object");
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [0], \"w\": NaN}\n", ":1: bad JSON: malformed at column ");
    }

    @Test
    void valueThatIsNotAnObjectIsRefused() throws IOException {
        assertRefused("[\"a\", 0]\n", ":1: expected a JSON object");
    }

    @Test
    void tokenAndTagCountsMustMatch() throws IOException {
        assertRefused("{\"tokens\": [\"a\", \"b\"], \"ner_tags\": [0]}\n", ":1: 2 tokens but 1 ner_tags");
    }

    @Test
    void tagIdOutOfRangeIsRefused() throws IOException {
        assertRefused("{\"tokens\": [\"a\", \"b\"], \"ner_tags\": [0, 7]}\n", ":1: ner_tags[1]: tag id 7 out of range 0..6");
    }

    @Test
    void tagNameOutsideTheLabelSetIsRefused() throws IOException {
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [\"B-MISC\"]}\n", ":1: tag \"B-MISC\" is not in PAN-X's label set");
    }

    @Test
    void fractionalTagIdIsRefused() throws IOException {
        assertRefused("{\"tokens\": [\"a\"], \"ner_tags\": [1.5]}\n", ":1: ner_tags[0] is 1.5, expected a tag id or a tag name");
    }

    @Test
    void tokenThatIsNotAStringIsRefused() throws IOException {
        assertRefused("{\"tokens\": [2006], \"ner_tags\": [0]}\n", ":1: tokens[0] is 2006, expected a string");
    }

    @Test
    void emptyTokenIsRefused() throws IOException {
        assertRefused("{\"tokens\": [\"a\", \"\"], \"ner_tags\": [0, 0]}\n", ":1: tokens[1] is empty");
    }

    @Test
    void missingFieldIsRefused() throws IOException {
        assertRefused("{\"tokens\": [\"a\"]}\n", ":1: no \"ner_tags\" field");
    }

    @Test
    void byteOrderMarkAndCrlfAreTolerated() throws IOException {
        List<Sentence> sentences = read(write("\uFEFF{\"tokens\": [\"a\"], \"ner_tags\": [5]}\r\n{\"tokens\": [\"b\", \"c\"], \"ner_tags\": [5, 6]}\r\n"));
        assertEquals(List.of("B-LOC"), sentences.get(0).tags());
        assertEquals(List.of("B-LOC", "I-LOC"), sentences.get(1).tags());
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path file = write("");
        assertEquals(file + ": no sentences (the file is empty)",
                assertThrows(XnerInputException.class, () -> read(file)).getMessage());
    }

    private void assertRefused(String content, String expectedAfterFile) throws IOException {
        Path file = write(content);
        XnerInputException e = assertThrows(XnerInputException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith(file + expectedAfterFile), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    /** The file as training reads Hugging Face's JSON Lines: IOB2 tags, ids named by PAN-X's labels, checked against them. */
    private static List<Sentence> read(Path file) {
        return CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withFormat(CorpusFormat.JSONL).withScheme(TagScheme.IOB2), LabelSet.PANX,
                LabelMapping.NONE).dataset(LabelSet.PANX, "PAN-X's").sentences();
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("train.jsonl"), content, StandardCharsets.UTF_8);
    }
}
