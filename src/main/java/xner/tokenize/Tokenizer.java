package xner.tokenize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A sub-word tokenizer: text or pre-split words in, an {@link Encoding} (tokens, ids, word ids, offsets) out,
 * with the model's special tokens added and the result truncated to {@link #maxLength()} tokens.
 *
 * <pre>{@code
 * try (Tokenizer tokenizer = Tokenizers.load(modelDir)) {
 *     Encoding e = tokenizer.encodeWords(sentence.tokens());   // word ids index sentence.tokens()
 *     List<Integer> labels = new LabelAligner(LabelSet.PANX).align(e, sentence);
 * }
 * }</pre>
 *
 * <p>Implementations hold a native tokenizer: close them once. They are safe to use from several threads.
 */
public interface Tokenizer extends AutoCloseable {
    /** The maximum length, in tokens with the special tokens, when none is given: BERT's and XLM-R's 512. */
    int DEFAULT_MAX_LENGTH = 512;

    /**
     * Tokenizes a text. Word ids count the pre-tokenizer's words (for BERT each punctuation mark and each CJK
     * character is a word of its own; for SentencePiece, each space-separated word), as Hugging Face's
     * {@code word_ids()}; offsets index {@code text}. A special token typed in the text (e.g. {@code [MASK]})
     * becomes that token: a word of its own, not flagged in {@code specialTokensMask} (only the tokens the
     * tokenizer adds are), as in Hugging Face.
     */
    Encoding encode(String text);

    /**
     * Tokenizes words that are already split, as Hugging Face with {@code is_split_into_words=True}: word ids
     * index {@code words}, and offsets index the word each token came from (not a joined text). A word that
     * yields no token (e.g. only characters the normalizer removes) simply has no token.
     */
    Encoding encodeWords(List<String> words);

    /** The most tokens an encoding has, special tokens included; longer inputs are cut at the end. */
    int maxLength();

    /** The number of ids, added special tokens included (the size of the model's embedding matrix). */
    int vocabSize();

    /** The id of {@code token}, or -1 when it is not in the vocabulary. */
    int tokenToId(String token);

    /** The token of {@code id}; an {@link IllegalArgumentException} when {@code id} is outside [0, vocabSize). */
    String idToToken(int id);

    /** The special token strings of this tokenizer. */
    SpecialTokens specialTokens();

    /** Turns ids back into text with the model's decoder (WordPiece joins {@code ##} pieces, SentencePiece turns {@code ▁} into spaces). */
    String decode(List<Integer> ids, boolean skipSpecialTokens);

    /**
     * Writes the Hugging Face tokenizer files into {@code dir} (created if needed): {@code tokenizer.json},
     * {@code tokenizer_config.json}, {@code special_tokens_map.json} and the model's own vocabulary file
     * where it has one; {@link Tokenizers#load(Path)} reads them back.
     */
    void save(Path dir) throws IOException;

    /** Frees the native tokenizer; calling it again does nothing. */
    @Override
    void close();

    /** The id of the sequence-start token ({@code [CLS]} for BERT, {@code <s>} for XLM-R). */
    default int clsId() {
        return tokenToId(specialTokens().cls());
    }

    /** The id of the sequence-end token ({@code [SEP]} for BERT, {@code </s>} for XLM-R). */
    default int sepId() {
        return tokenToId(specialTokens().sep());
    }

    default int padId() {
        return tokenToId(specialTokens().pad());
    }

    default int maskId() {
        return tokenToId(specialTokens().mask());
    }

    default int unkId() {
        return tokenToId(specialTokens().unk());
    }

    /** The mask token as typed in a fill-mask prompt ({@code [MASK]} or {@code <mask>}). */
    default String maskToken() {
        return specialTokens().mask();
    }
}
