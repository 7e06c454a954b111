package xner.tokenize;

import com.code_intelligence.jazzer.junit.FuzzTest;
import xner.testing.Fuzzing;

/**
 * A model folder's {@code vocab.txt} from outside (issue 26 §4), the one tokenizer file of multilingual BERT as
 * converted: it loads as a WordPiece tokenizer that works ({@link TokenizerFuzzing}), or is refused naming it.
 */
class VocabTxtFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void loadsAndWorksOrRefuses(byte[] bytes) {
        TokenizerFuzzing.loadsAndWorksOrRefuses(Fuzzing.file("vocab/vocab.txt", bytes).getParent());
    }
}
