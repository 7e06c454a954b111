package xner.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import xner.testing.Fuzzing;

/**
 * CoNLL column files from outside (issue 26 §4): the bytes of one file read every way xner reads CoNLL. Each way
 * reads the file or refuses it naming the file and line ({@link Fuzzing}); the records of {@code tag --input} are
 * never refused, a bad sentence comes back as a {@link InputRecord.Malformed} at its line.
 */
class ConllReaderFuzzTest {
    private static final LabelSet CONLL = new LabelSet(List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC",
            "B-MISC", "I-MISC"));

    @FuzzTest(maxDuration = "5m")
    void readsOrRefusesWithItsLine(byte[] bytes) {
        Path file = Fuzzing.file("train", bytes);
        // training and evaluation: UTF-8, tag last, IOB1 → IOB2, CoNLL-2003's label set
        Fuzzing.readsOrRefuses(file, () -> CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withFormat(CorpusFormat.CONLL),
                null, LabelMapping.NONE).dataset(CONLL, "CoNLL-2003's"));
        // a user's corpus: latin-1 (every byte is a character), GermEval's columns (index, word, tag)
        Fuzzing.readsOrRefuses(file, () -> ConllReader.readRaw(file, new ColumnLayout(StandardCharsets.ISO_8859_1, 2, 3)));
        // train --train FILE: format detected, scheme detected and converted, a label set made from the data
        Fuzzing.readsOrRefuses(file, () -> {
            CorpusFiles files = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults(), null, LabelMapping.NONE);
            files.dataset(LabelSet.fromData(files.sentences()), "the training data's");
        });
        Fuzzing.readsOrRefuses(file, () -> CorpusFiles.read(List.of(file),
                CorpusFileConfig.defaults().withFormat(CorpusFormat.CONLL).withScheme(TagScheme.IOBES), null, LabelMapping.NONE));
        // tag --input FILE --format conll: records and malformed records, never an exception
        RecordFuzzing.readAll(RecordReader.conll(new ByteArrayInputStream(bytes), file), file, bytes);
    }
}
