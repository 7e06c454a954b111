package xner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.infer.KeywordModel;
import xner.testing.Cli;

/**
 * {@code evaluate --predictions} writes each word's gold tag exactly as the file holds it (issue 26 §3), words without
 * a sub-token included: they are predicted O, and the run says how many there were.
 */
class EvaluatePredictionsTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void model() {
        model = KeywordModel.standard(dir.resolve("model"));
    }

    @Test
    void wordsWithoutSubTokensKeepTheirGoldTagAndArePredictedO() throws Exception {
        // U+0001 U+001B and U+200B are nothing to the tokenizer: no sub-token carries their labels
        Path test = Files.writeString(dir.resolve("test.conll"),
                "Jeff B-PER\nDean I-PER\n\u0001\u001b B-LOC\n\u200b I-LOC\nist O\nin O\nZürich B-LOC\n\n");
        Path predictions = dir.resolve("predictions.conll");
        Cli.Run r = Cli.run("evaluate", "--model", model.toString(), "--test", test.toString(), "--predictions", predictions.toString());
        assertEquals(Xner.EXIT_OK, r.exit(), r.err());
        assertEquals(List.of("-DOCSTART- O O", "", "Jeff B-PER B-PER", "Dean I-PER I-PER", "\u0001\u001b B-LOC O", "\u200b I-LOC O",
                "ist O O", "in O O", "Zürich B-LOC B-LOC", ""), Files.readAllLines(predictions));
        assertTrue(r.err().contains(test + ": 2 words without a sub-token (cut off by the maximum length, or nothing the tokenizer "
                + "keeps): each keeps its gold tag and is scored as predicted O"), r.err());
        assertTrue(r.out().contains("LOC     1.0000    0.5000"), "the missed LOC counts against recall: " + r.out());
    }
}
