package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;

/**
 * Span files in the shapes annotation tools export, read into words and IOB2 tags, and every span that does not
 * fit refused with file, line and the span. Words are cut here as BERT's pre-tokenizer cuts them (white space, and
 * each punctuation mark alone), by a cutter written out below; the tokenizer's own cut is tested in the CLI test.
 */
class SpanReaderTest {
    @TempDir Path dir;

    /** White space separates words; a punctuation mark is a word of its own. */
    static final WordCutter BERT_LIKE = text -> {
        List<WordCutter.Word> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            boolean space = Character.isWhitespace(c);
            boolean punct = !space && !Character.isLetterOrDigit(c) && !Character.isSurrogate(c);
            if ((space || punct) && start >= 0) {
                words.add(new WordCutter.Word(start, i));
                start = -1;
            }
            if (punct) words.add(new WordCutter.Word(i, i + 1));
            else if (!space && start < 0) start = i;
        }
        return words;
    };

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private SpanReader.AnnotatedTexts read(Path file, Offsets offsets) {
        return SpanReader.read(file, StandardCharsets.UTF_8, offsets, BERT_LIKE);
    }

    private String error(Path file) {
        return assertThrows(XnerInputException.class, () -> read(file, Offsets.UTF_16)).getMessage();
    }

    @Test
    void prodigySpansBecomeIob2TagsAndRejectedOrIgnoredRecordsAreLeftOutAndCounted() throws IOException {
        Path file = write("prodigy.jsonl",
                "{\"text\": \"Jeff Dean works at Google.\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\", \"token_start\": 0, "
                        + "\"token_end\": 1}, {\"start\": 19, \"end\": 25, \"label\": \"ORG\", \"text\": \"Google\"}], \"answer\": \"accept\"}",
                "{\"text\": \"Nothing here.\", \"spans\": [], \"answer\": \"accept\"}",
                "",
                "{\"text\": \"Paris is big.\", \"spans\": [{\"start\": 0, \"end\": 5, \"label\": \"PER\"}], \"answer\": \"reject\"}",
                "{\"text\": \"Hmm.\", \"answer\": \"ignore\"}",
                "{\"text\": \"  \", \"spans\": []}");
        SpanReader.AnnotatedTexts read = read(file, Offsets.UTF_16);
        assertEquals(2, read.sentences().size());
        RawSentence first = read.sentences().get(0);
        assertEquals(List.of("Jeff", "Dean", "works", "at", "Google", "."), first.tokens());
        assertEquals(List.of("B-PER", "I-PER", "O", "O", "B-ORG", "O"), first.tags());
        assertEquals(new Source(file, 1), first.source());
        assertEquals(List.of("O", "O", "O"), read.sentences().get(1).tags());
        assertEquals(new Source(file, 2), read.sentences().get(1).source());
        assertEquals(1, read.rejected());
        assertEquals(1, read.ignored());
        assertEquals(1, read.withoutWords());
        assertEquals("; left out: 1 rejected, 1 ignored, 1 without words", read.leftOut());
    }

    @Test
    void doccanoLabelsAreStartEndLabelTriples() throws IOException {
        Path file = write("doccano.jsonl", "{\"id\": 7, \"text\": \"Sylvain lebt in Z\u00fcrich\", \"label\": [[16, 22, \"LOC\"], [0, 7, \"PER\"]]}");
        RawSentence s = read(file, Offsets.UTF_16).sentences().get(0);
        assertEquals(List.of("Sylvain", "lebt", "in", "Z\u00fcrich"), s.tokens());
        assertEquals(List.of("B-PER", "O", "O", "B-LOC"), s.tags());
    }

    @Test
    void tagsOwnOutputReadsBackWithItsWordChecked() throws IOException {
        Path file = write("tagged.jsonl", "{\"text\": \"Hugging Face in Brooklyn\", \"entities\": [{\"entity_group\": \"ORG\", "
                + "\"score\": 0.99, \"word\": \"Hugging Face\", \"start\": 0, \"end\": 12}, {\"entity_group\": \"LOC\", \"score\": 0.98, "
                + "\"word\": \"Brooklyn\", \"start\": 16, \"end\": 24}], \"score\": -0.02}");
        assertEquals(List.of("B-ORG", "I-ORG", "O", "B-LOC"), read(file, Offsets.UTF_16).sentences().get(0).tags());
    }

    @Test
    void theAnnotatorsSpansWinOverThePreAnnotationTheRecordStillCarries() throws IOException {
        // select's output corrected in Prodigy: Prodigy keeps "entities" and adds the annotator's "spans"
        Path file = write("corrected.jsonl", "{\"text\": \"Jeff Dean\", \"entities\": [{\"entity_group\": \"ORG\", \"start\": 0, "
                + "\"end\": 4}], \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}], \"answer\": \"accept\"}");
        assertEquals(List.of("B-PER", "I-PER"), read(file, Offsets.UTF_16).sentences().get(0).tags());
    }

    @Test
    void codePointOffsetsCountAnEmojiAsOneCharacter() throws IOException {
        // Python's offsets: "😀" is one code point, two UTF-16 units; Jeff is 2–6 in code points, 3–7 in UTF-16
        Path file = write("python.jsonl", "{\"text\": \"\uD83D\uDE00 Jeff Dean\", \"label\": [[2, 11, \"PER\"]]}");
        RawSentence s = read(file, Offsets.CODE_POINTS).sentences().get(0);
        assertEquals(List.of("\uD83D\uDE00", "Jeff", "Dean"), s.tokens());
        assertEquals(List.of("O", "B-PER", "I-PER"), s.tags());
    }

    @Test
    void codePointOffsetsInAUtf16FileAreNamedWithTheOptionThatReadsThem() throws IOException {
        Path file = write("python.jsonl", "{\"text\": \"\uD83D\uDE00 Jeff Dean\", \"label\": [[2, 11, \"PER\"]]}");
        String message = error(file);
        assertTrue(message.startsWith(file + ":1: label[0] [2, 11, \"PER\"]: starts between words at a space, before the word "
                + "\"Jeff\" (3–7)"), message);
        assertTrue(message.endsWith("counted in code points it would be \"Jeff Dean\": if the file counts code points, give "
                + "--offsets code-points"), message);
    }

    @Test
    void utf16OffsetsInACodePointFileAreNamedToo() throws IOException {
        Path file = write("java.jsonl", "{\"text\": \"\uD83D\uDE00 Jeff Dean\", \"spans\": [{\"start\": 3, \"end\": 12, \"label\": \"PER\"}]}");
        String message = assertThrows(XnerInputException.class, () -> read(file, Offsets.CODE_POINTS)).getMessage();
        assertTrue(message.startsWith(file + ":1: spans[0] {start 3, end 12, label \"PER\"}: falls outside the text, which has "
                + "11 code points"), message);
        assertTrue(message.endsWith("counted in UTF-16 code units it would be \"Jeff Dean\": if the file counts UTF-16 code units, "
                + "give --offsets utf-16"), message);
    }

    @Test
    void aSpanWhoseOwnTextDiffersFromTheTextAtItsOffsetsIsRefused() throws IOException {
        // offsets that land on word edges but not on the span's own text ("text" of Prodigy's spans, "word" of tag's)
        Path file = write("shifted.jsonl", "{\"text\": \"Jeff Dean\", \"spans\": [{\"start\": 0, \"end\": 4, \"label\": \"PER\", "
                + "\"text\": \"Dean\"}]}");
        assertEquals(file + ":1: spans[0] {start 0, end 4, label \"PER\"}: its own text is \"Dean\" but the text there is \"Jeff\"",
                error(file));
    }

    @Test
    void aSpanThatCutsAWordNamesTheWord() throws IOException {
        Path starts = write("a.jsonl", "{\"text\": \"x\", \"spans\": []}",
                "{\"text\": \"Jeff Dean works\", \"spans\": [{\"start\": 1, \"end\": 9, \"label\": \"PER\"}]}");
        assertEquals(starts + ":2: spans[0] {start 1, end 9, label \"PER\"}: starts inside the word \"Jeff\" (0–4)", error(starts));
        Path ends = write("b.jsonl", "{\"text\": \"Jeff Dean works\", \"label\": [[0, 12, \"PER\"]]}");
        assertEquals(ends + ":1: label[0] [0, 12, \"PER\"]: ends inside the word \"works\" (10–15)", error(ends));
        Path pair = write("c.jsonl", "{\"text\": \"\uD83D\uDE00 Jeff\", \"label\": [[1, 7, \"PER\"]]}");
        assertTrue(error(pair).startsWith(pair + ":1: label[0] [1, 7, \"PER\"]: starts inside the character U+1F600 (its UTF-16 pair)"));
    }

    @Test
    void aSpanEndingInWhiteSpaceIsRefusedNotTrimmed() throws IOException {
        Path file = write("space.jsonl", "{\"text\": \"Jeff Dean works\", \"label\": [[0, 10, \"PER\"]]}");
        assertEquals(file + ":1: label[0] [0, 10, \"PER\"]: ends between words at a space, after the word \"Dean\" (5–9)", error(file));
    }

    @Test
    void overlappingSpansAreRefusedNamingBoth() throws IOException {
        Path file = write("overlap.jsonl", "{\"text\": \"Jeff Dean works\", \"label\": [[5, 9, \"ORG\"], [0, 9, \"PER\"]]}");
        assertEquals(file + ":1: label[0] [5, 9, \"ORG\"] overlaps label[1] [0, 9, \"PER\"]: a word has one tag, so entities "
                + "cannot overlap (nested entities are not supported)", error(file));
    }

    @Test
    void aSpanOutsideTheTextIsRefused() throws IOException {
        Path file = write("outside.jsonl", "{\"text\": \"Jeff Dean\", \"spans\": [{\"start\": 5, \"end\": 30, \"label\": \"PER\"}]}");
        assertEquals(file + ":1: spans[0] {start 5, end 30, label \"PER\"}: falls outside the text, which has 9 UTF-16 code units",
                error(file));
    }

    @Test
    void emptyOrReversedSpansAreRefused() throws IOException {
        Path empty = write("empty.jsonl", "{\"text\": \"Jeff Dean\", \"label\": [[4, 4, \"PER\"]]}");
        assertEquals(empty + ":1: label[0] [4, 4, \"PER\"]: empty (a span covers start up to, not including, end)", error(empty));
        Path reversed = write("reversed.jsonl", "{\"text\": \"Jeff Dean\", \"label\": [[9, 0, \"PER\"]]}");
        assertTrue(error(reversed).startsWith(reversed + ":1: label[0] [9, 0, \"PER\"]: ends before it starts"));
    }

    @Test
    void badRecordsAreNamedWithTheirLine() throws IOException {
        assertEquals(dir.resolve("n.jsonl") + ":1: no \"spans\" (Prodigy), \"label\" (doccano) or \"entities\" (xner tag) field: "
                + "which entities does the text hold? (an empty list when none)", error(write("n.jsonl", "{\"text\": \"Jeff\"}")));
        assertTrue(error(write("t.jsonl", "{\"text\": \"a\", \"label\": [[0, 1, \"B-PER\"]]}"))
                .endsWith(":1: label[0]: the label \"B-PER\" is a tag; a span's label is its entity type (\"PER\"), which becomes "
                        + "B- and I- tags"));
        assertTrue(error(write("o.jsonl", "{\"text\": \"a\", \"label\": [[0.5, 1, \"PER\"]]}"))
                .endsWith(":1: label[0]: start is 0.5, expected a character offset (a whole number, 0 or more)"));
        assertTrue(error(write("a.jsonl", "{\"text\": \"a\", \"spans\": [], \"answer\": \"maybe\"}"))
                .endsWith(":1: field \"answer\": expected \"accept\", \"reject\" or \"ignore\" (Prodigy's answers), found \"maybe\""));
        assertTrue(error(write("j.jsonl", "{\"text\": \"a\", \"spans\": []}", "{'text': 'b'}")).contains("j.jsonl:2: bad JSON: "));
        assertTrue(error(write("d.jsonl", "{\"text\": \"a\", \"label\": [[0, 1]]}"))
                .endsWith(":1: label[0]: expected [start, end, \"LABEL\"] (doccano's spans), found [0,1]"));
    }

    @Test
    void aFileWhoseRecordsAreAllLeftOutIsRefused() throws IOException {
        Path file = write("rejected.jsonl", "{\"text\": \"Jeff\", \"answer\": \"reject\"}");
        assertEquals(file + ": none of its 1 records can be trained or scored on (1 rejected, 0 ignored, 0 without words)", error(file));
    }

    @Test
    void spanFilesAreDetectedFromTheirFirstRecordAndReadThroughCorpusFiles() throws IOException {
        Path spans = write("s.jsonl", "{\"text\": \"Jeff Dean\", \"label\": [[0, 9, \"PERSON\"]]}");
        Path tokens = write("t.jsonl", "{\"tokens\": [\"Jeff\"], \"ner_tags\": [\"B-PER\"], \"text\": \"Jeff\"}");
        Path noExtension = write("s.txt", "", "{\"text\": \"Jeff\", \"spans\": []}");
        assertEquals(CorpusFormat.SPANS, CorpusFormat.detect(spans));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(tokens));
        assertEquals(CorpusFormat.SPANS, CorpusFormat.detect(noExtension));
        assertEquals(CorpusFormat.SPANS, CorpusFormat.parse("spans"));
        CorpusFiles files = CorpusFiles.read(List.of(spans), CorpusFileConfig.defaults(), null,
                LabelMapping.parse("PERSON=PER", null), BERT_LIKE);
        assertEquals(List.of("B-PER", "I-PER"), files.sentences().get(0).tags());
        assertEquals(List.of(new Source(spans, 1), new Source(spans, 1)), files.sources().get(0));
        assertTrue(files.schemes().get(0).endsWith("s.jsonl: 1 texts, spans (offsets in utf-16) made into IOB2 tags of the "
                + "tokenizer's words"), files.schemes().get(0));
    }

    @Test
    void excludedTextsAreEveryRecordsTextWhateverItsAnswer() throws IOException {
        Path spans = write("done.jsonl", "{\"text\": \"A\", \"spans\": [], \"answer\": \"reject\"}", "{\"text\": \"B\", \"label\": []}",
                "{\"tokens\": [\"C\", \"D\"], \"ner_tags\": [\"O\", \"O\"]}");
        Path conll = Files.writeString(dir.resolve("done.conll"), "E O\nF B-PER\n\nG O\n");
        assertEquals(List.of("A", "B", "C D", "E F", "G"), CorpusFiles.texts(List.of(spans, conll), CorpusFileConfig.defaults()));
    }
}
