package xner.tokenize;

import com.code_intelligence.jazzer.junit.FuzzTest;
import xner.testing.Fuzzing;

/**
 * A model folder's {@code tokenizer.json} from outside (issue 26 §4), read by xner (model type, vocabulary, added
 * tokens) and by the Rust tokenizers library: it loads as a tokenizer that works ({@link TokenizerFuzzing}), or is
 * refused naming it.
 */
class TokenizerJsonFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void loadsAndWorksOrRefuses(byte[] bytes) {
        TokenizerFuzzing.loadsAndWorksOrRefuses(Fuzzing.file("json/tokenizer.json", bytes).getParent());
    }
}
