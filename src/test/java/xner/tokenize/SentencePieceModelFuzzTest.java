package xner.tokenize;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import xner.testing.Fuzzing;

/**
 * A model folder's SentencePiece model ({@code sentencepiece.bpe.model}, XLM-R's) from outside (issue 26 §4): a
 * protobuf read by xner's own decoder ({@link SentencePieceModel}), converted to a {@code tokenizer.json} whose
 * normalizer carries the file's precompiled character map to the Rust tokenizers library. It loads as a tokenizer
 * that works ({@link TokenizerFuzzing}), or is refused naming the file and the byte.
 */
class SentencePieceModelFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void loadsAndWorksOrRefuses(byte[] bytes) {
        Path file = Fuzzing.file("spm/" + SentencePieceTokenizer.MODEL_FILE, bytes);
        Fuzzing.readsOrRefuses(file, () -> SentencePieceModel.parse(bytes, file));
        TokenizerFuzzing.loadsAndWorksOrRefuses(file.getParent());
    }
}
