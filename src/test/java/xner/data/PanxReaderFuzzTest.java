package xner.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import xner.testing.Fuzzing;

/**
 * PAN-X lines from outside (issue 26 §4): {@code lang:token<TAB>tag} files, tagged and untagged, as PAN-X's own
 * corpus and as a user's corpus in that layout (format detected, scheme detected). Each reads or is refused at its
 * file and line.
 */
class PanxReaderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void readsOrRefusesWithItsLine(byte[] bytes) {
        Path file = Fuzzing.file("train", bytes);
        Fuzzing.readsOrRefuses(file, () -> new PanxReader().read(file));
        Fuzzing.readsOrRefuses(file, () -> new PanxReader().readUntagged(file));
        Fuzzing.readsOrRefuses(file, () -> {
            CorpusFiles files = CorpusFiles.read(List.of(file), CorpusFileConfig.defaults().withFormat(CorpusFormat.PANX)
                    .withEncoding(StandardCharsets.ISO_8859_1), null, LabelMapping.NONE);
            files.dataset(LabelSet.fromData(files.sentences()), "the training data's");
        });
        // train --train FILE: the format told from the first line, then read in it
        Fuzzing.readsOrRefuses(file, () -> CorpusFiles.read(List.of(file), CorpusFileConfig.defaults(), null, LabelMapping.NONE));
    }
}
