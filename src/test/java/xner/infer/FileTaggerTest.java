package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop of {@code tag --input}: a record that makes the pipeline fail is skipped alone, the others written. */
class FileTaggerTest {
    @TempDir static Path dir;
    static TagPipeline pipeline;

    @BeforeAll
    static void model() {
        pipeline = TagPipeline.load(KeywordModel.standard(dir.resolve("model")));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    /** The pipeline, failing every batch that holds a text or a word with "BOOM", as the tokenizer fails on a lone surrogate. */
    static final class Failing implements FileTagger.Tagging {
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public List<Tagged> texts(List<String> texts) {
            batchSizes.add(texts.size());
            if (texts.stream().anyMatch(t -> t.contains("BOOM"))) throw new IllegalStateException("tokenizer: bad text\nnative trace");
            return pipeline.tagBatch(texts);
        }

        @Override
        public List<Tagged> words(List<List<String>> sentences) {
            batchSizes.add(sentences.size());
            if (sentences.stream().anyMatch(s -> s.contains("BOOM"))) throw new IllegalArgumentException();
            return pipeline.tagWordsBatch(sentences);
        }
    }

    record Result(FileTagger.Summary summary, String out, String err) {}

    static Result tag(String input, FileTagger.InputFormat in, FileTagger.OutputFormat out, FileTagger.Tagging tagging, int chunk)
            throws IOException {
        StringWriter written = new StringWriter();
        StringWriter err = new StringWriter();
        FileTagger tagger = new FileTagger(tagging, Aggregation.FIRST, chunk, new PrintWriter(err));
        FileTagger.Summary s = tagger.tag(in.reader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), Path.of("in"),
                xner.data.ColumnLayout.DEFAULT), -1, written, out);
        return new Result(s, written.toString(), err.toString());
    }

    @Test
    void aRecordThatFailsItsChunkIsRetriedAloneAndOnlyItIsSkipped() throws IOException {
        Failing failing = new Failing();
        Result r = tag("Google\nBOOM Müller\nJeff Dean\nMüller\n", FileTagger.InputFormat.TEXT, FileTagger.OutputFormat.JSONL,
                failing, 3);
        assertTrue(r.err().contains("in:2: tagging failed: tokenizer: bad text; skipped"), r.err());
        assertEquals("4 lines read, 3 records tagged, 1 skipped (malformed)", r.summary().toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("{\"text\":\"Google\",\"entities\":[{\"entity_group\":\"ORG\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"text\":\"Jeff Dean\",\"entities\":[{\"entity_group\":\"PER\""), lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"text\":\"Müller\""), lines.get(2));
        assertEquals(List.of(3, 1, 1, 1, 1), failing.batchSizes, "the failed chunk of 3 again one by one, then the next chunk");
    }

    @Test
    void aChunkOfOneThatFailsIsNotTriedTwice() throws IOException {
        Failing failing = new Failing();
        Result r = tag("BOOM\nGoogle\n", FileTagger.InputFormat.TEXT, FileTagger.OutputFormat.JSONL, failing, 1);
        assertTrue(r.err().contains("in:1: tagging failed: tokenizer: bad text; skipped"), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        assertEquals(List.of(1, 1), failing.batchSizes);
    }

    @Test
    void aSentenceThatFailsIsSkippedWithItsFirstLineAndTheExceptionsType() throws IOException {
        Result r = tag("Jeff B-PER\nDean I-PER\n\nBOOM O\n\nGoogle B-ORG\n", FileTagger.InputFormat.CONLL,
                FileTagger.OutputFormat.CONLL, new Failing(), 512);
        assertTrue(r.err().contains("in:4: tagging failed: IllegalArgumentException; skipped"), r.err());
        assertEquals("Jeff B-PER B-PER\nDean I-PER I-PER\n\nGoogle B-ORG B-ORG\n\n", r.out());
        assertEquals(1, r.summary().skipped());
    }

    /**
     * Documents (from a stand-in extractor: the real one is the module documents/'s): one JSON line each with source,
     * content_type, text and entities, each entity of a paged document with the page it starts on; --no-text drops the
     * text, not the offsets.
     */
    @Test
    void aDocumentIsOneLineWithItsSourceTypeTextAndTheEntitiesPages() throws IOException {
        Path a = java.nio.file.Files.writeString(dir.resolve("a.pdf"), "Jeff Dean ist bei Google\n\nMüller ist in Zürich");
        Path b = java.nio.file.Files.writeString(dir.resolve("b.html"), "Sylvain in Brooklyn");
        xner.data.DocumentExtractor extractor = (in, limits) -> {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith("Jeff") ? new xner.data.DocumentExtractor.Extracted("application/pdf", text, List.of(0, 26))
                    : new xner.data.DocumentExtractor.Extracted("text/html", text, List.of());
        };
        for (boolean withText : List.of(true, false)) {
            StringWriter written = new StringWriter();
            FileTagger tagger = new FileTagger(pipeline, Aggregation.FIRST, 1, new PrintWriter(new StringWriter()));
            if (!withText) tagger.withoutText();
            FileTagger.Summary s = tagger.tag(xner.data.RecordReader.documents(List.of(a, b), extractor,
                    xner.data.DocumentExtractor.Limits.DEFAULT), -1, written, FileTagger.OutputFormat.JSONL);
            assertEquals("2 documents read, 2 tagged, 0 skipped (could not be read)", s.toString());
            String text = withText ? ",\"text\":\"Jeff Dean ist bei Google\\n\\nMüller ist in Zürich\"" : "";
            String textB = withText ? ",\"text\":\"Sylvain in Brooklyn\"" : "";
            List<String> lines = written.toString().lines().map(l -> l.replaceAll("\"score\":[0-9.E-]+,", "")).toList();
            assertEquals(List.of("{\"source\":\"" + a + "\",\"content_type\":\"application/pdf\"" + text + ",\"entities\":["
                            + "{\"entity_group\":\"PER\",\"word\":\"Jeff Dean\",\"start\":0,\"end\":9,\"page\":1},"
                            + "{\"entity_group\":\"ORG\",\"word\":\"Google\",\"start\":18,\"end\":24,\"page\":1},"
                            + "{\"entity_group\":\"PER\",\"word\":\"Müller\",\"start\":26,\"end\":32,\"page\":2},"
                            + "{\"entity_group\":\"LOC\",\"word\":\"Zürich\",\"start\":40,\"end\":46,\"page\":2}]}",
                    "{\"source\":\"" + b + "\",\"content_type\":\"text/html\"" + textB + ",\"entities\":["
                            + "{\"entity_group\":\"PER\",\"word\":\"Sylvain\",\"start\":0,\"end\":7},"
                            + "{\"entity_group\":\"LOC\",\"word\":\"Brooklyn\",\"start\":11,\"end\":19}]}"), lines);
        }
    }
}
