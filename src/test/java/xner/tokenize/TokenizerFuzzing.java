package xner.tokenize;

import java.nio.file.Path;
import java.util.List;
import xner.testing.Fuzzing;

/**
 * The contract of the tokenizer readers under fuzzing: a model folder's tokenizer files load (the native tokenizer
 * included), or are refused naming the folder or the file; and a tokenizer that loads works on any text: every id it
 * gives is a row of the vocabulary it says it has (an id past it would index past the model's embedding), every
 * offset lies in its text or word, every id has a token and decodes.
 */
final class TokenizerFuzzing {
    /** Texts that reach the normalizer's corners: accents, fullwidth letters, CJK, an emoji, a lone surrogate, specials. */
    private static final List<String> TEXTS = List.of("Jeff Dean ist ein Informatiker bei Google in Kalifornien",
            "ﬁne Ｂerlin Ⅰ Zürich  東京 🙂 \ud800 [MASK] <mask> ##ing ▁x", "");
    private static final List<String> WORDS = List.of("Jeff", "Zürich", "##", "▁", "🙂", "\u200b");

    private TokenizerFuzzing() {}

    /** Loads the tokenizer of {@code dir} as {@code xner} does and uses it, or checks the refusal names {@code dir}. */
    static void loadsAndWorksOrRefuses(Path dir) {
        Tokenizer tokenizer = Fuzzing.readOrNull(dir, () -> Tokenizers.load(dir));
        if (tokenizer == null) return;
        try (tokenizer) {
            for (String text : TEXTS) check(tokenizer, tokenizer.encode(text), List.of(text), false);
            check(tokenizer, tokenizer.encodeWords(WORDS), WORDS, true);
            for (int id : List.of(tokenizer.clsId(), tokenizer.sepId(), tokenizer.padId(), tokenizer.maskId(), tokenizer.unkId())) {
                inVocabulary(tokenizer, id, "a special token");
            }
        }
    }

    private static void check(Tokenizer tokenizer, Encoding e, List<String> inputs, boolean words) {
        for (int i = 0; i < e.size(); i++) {
            inVocabulary(tokenizer, e.ids().get(i), "token " + i + " (" + e.tokens().get(i) + ")");
            int w = e.wordIds().get(i);
            if (w == Encoding.NO_WORD) continue;
            String source = words ? (w < inputs.size() ? inputs.get(w) : null) : inputs.get(0);
            if (source == null || e.charEnds().get(i) > source.length()) {
                throw new AssertionError("token " + i + " (" + e.tokens().get(i) + ") of word " + w + " at " + e.charStarts().get(i)
                        + ".." + e.charEnds().get(i) + ", outside its input " + inputs);
            }
        }
        tokenizer.decode(e.ids(), true);
        tokenizer.decode(e.ids(), false);
    }

    private static void inVocabulary(Tokenizer tokenizer, int id, String what) {
        if (id < 0 || id >= tokenizer.vocabSize()) {
            throw new AssertionError(what + " has id " + id + ", outside the vocabulary of " + tokenizer.vocabSize());
        }
        tokenizer.idToToken(id);
    }
}
