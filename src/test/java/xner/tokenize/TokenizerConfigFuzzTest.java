package xner.tokenize;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import xner.testing.Fuzzing;

/**
 * A model folder's {@code tokenizer_config.json} and {@code special_tokens_map.json} from outside (issue 26 §4),
 * beside a good {@code vocab.txt}: the same bytes as both files (maximum length, lower-casing, special tokens as
 * strings or {@code {"content": ...}}). The tokenizer loads and works ({@link TokenizerFuzzing}), or is refused naming
 * the folder or the file; {@link Tokenizers#modelMaxLength} reads or refuses the same way.
 */
class TokenizerConfigFuzzTest {
    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "<s>", "</s>", "<pad>",
            "<unk>", "<mask>", "jeff", "Jeff", "dean", "z", "##ü", "##rich", "!");

    @FuzzTest(maxDuration = "5m")
    void loadsAndWorksOrRefuses(byte[] bytes) {
        Path dir = Fuzzing.file("config/tokenizer_config.json", bytes).getParent();
        try {
            Files.write(dir.resolve("special_tokens_map.json"), bytes);
            if (!Files.exists(dir.resolve("vocab.txt"))) Files.write(dir.resolve("vocab.txt"), VOCAB);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Fuzzing.readsOrRefuses(dir, () -> Tokenizers.modelMaxLength(dir));
        TokenizerFuzzing.loadsAndWorksOrRefuses(dir);
    }
}
