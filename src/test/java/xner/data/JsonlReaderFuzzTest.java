package xner.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import xner.io.StrictJson;
import xner.testing.Fuzzing;

/**
 * JSON Lines from outside (issue 26 §4): the bytes of one file read as a corpus ({@code {"tokens": [...],
 * "ner_tags": [...]}} per line, through {@link StrictJson}) and as a file to tag ({@code {"text": ...}} per line, and
 * as plain text lines, the other format of {@code tag --input}). A corpus reads or is refused at its file and line;
 * a file to tag gives records, a bad line a {@link InputRecord.Malformed} at its line, never an exception.
 */
class JsonlReaderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void readsOrRefusesWithItsLine(byte[] bytes) {
        Path file = Fuzzing.file("train", bytes);
        // training and evaluation: tag ids named by PAN-X's label set, or tag names checked against it
        Fuzzing.readsOrRefuses(file, () -> CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withFormat(CorpusFormat.JSONL),
                LabelSet.PANX, LabelMapping.NONE).dataset(LabelSet.PANX, "PAN-X's"));
        // a user's corpus in latin-1, ids without names (refused, saying to give --labels)
        Fuzzing.readsOrRefuses(file, () -> JsonlReader.readRaw(file, StandardCharsets.ISO_8859_1, null));
        // train --train FILE --format jsonl: scheme detected and converted, a label set made from the data
        Fuzzing.readsOrRefuses(file, () -> {
            CorpusFiles files = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withFormat(CorpusFormat.JSONL),
                    LabelSet.PANX, LabelMapping.NONE);
            files.dataset(LabelSet.fromData(files.sentences()), "the training data's");
        });
        // tag --input FILE.jsonl, and the same bytes as a text file
        RecordFuzzing.readAll(RecordReader.jsonl(new ByteArrayInputStream(bytes), file), file, bytes);
        RecordFuzzing.readAll(RecordReader.text(new ByteArrayInputStream(bytes), file), file, bytes);
    }
}
