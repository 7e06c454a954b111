package xner.tokenize;

import java.util.List;

/**
 * One tokenized sequence, special tokens included, as Hugging Face's {@code BatchEncoding} for one input: one
 * entry per token in every list.
 *
 * <p>Character offsets are Java {@code String} (UTF-16) indices, start inclusive, end exclusive. For a text
 * ({@link Tokenizer#encode(String)}) they index the text; for pre-split words
 * ({@link Tokenizer#encodeWords(List)}) they index the word the token came from (word {@code wordIds().get(i)}),
 * as Hugging Face's {@code offset_mapping} with {@code is_split_into_words=True}. Special tokens have no
 * word ({@link #NO_WORD}) and the offsets (0, 0), as in Hugging Face.
 *
 * @param tokens            the token strings ({@code ##} marks a WordPiece continuation, {@code ▁} a SentencePiece word start)
 * @param ids               the vocabulary ids
 * @param wordIds           the index of the word each token belongs to, {@link #NO_WORD} for special tokens
 * @param charStarts        the first UTF-16 index of each token's characters
 * @param charEnds          one past the last UTF-16 index of each token's characters
 * @param specialTokensMask 1 for a special token the tokenizer added ({@code [CLS]}, {@code [SEP]}), else 0
 * @param attentionMask     1 for a real token: always all ones, since an encoding is never padded. No model input
 *                          is built from it (a {@code Batch} or the tagging pipeline makes the padded batch's mask
 *                          from the sequence lengths); it stays as the field of Hugging Face's {@code BatchEncoding}
 *                          it mirrors, copied as the tokenizer reports it, so a tokenizer that padded would show
 *                          here (the tokenizer tests check it is all ones)
 * @param truncated         whether tokens were cut off to respect the tokenizer's maximum length
 */
public record Encoding(
        List<String> tokens,
        List<Integer> ids,
        List<Integer> wordIds,
        List<Integer> charStarts,
        List<Integer> charEnds,
        List<Integer> specialTokensMask,
        List<Integer> attentionMask,
        boolean truncated) {

    /** The word id of a special token ({@code None} in Hugging Face's {@code word_ids()}). */
    public static final int NO_WORD = -1;

    public Encoding {
        tokens = List.copyOf(tokens);
        ids = List.copyOf(ids);
        wordIds = List.copyOf(wordIds);
        charStarts = List.copyOf(charStarts);
        charEnds = List.copyOf(charEnds);
        specialTokensMask = List.copyOf(specialTokensMask);
        attentionMask = List.copyOf(attentionMask);
        int n = tokens.size();
        if (ids.size() != n || wordIds.size() != n || charStarts.size() != n || charEnds.size() != n
                || specialTokensMask.size() != n || attentionMask.size() != n) {
            throw new IllegalArgumentException("an encoding needs one entry per token in every list: " + n + " tokens, "
                    + ids.size() + " ids, " + wordIds.size() + " word ids, " + charStarts.size() + "/" + charEnds.size()
                    + " offsets, " + specialTokensMask.size() + " special flags, " + attentionMask.size() + " mask entries");
        }
        for (int i = 0; i < n; i++) {
            if (charStarts.get(i) < 0 || charEnds.get(i) < charStarts.get(i)) {
                throw new IllegalArgumentException("bad offsets for token " + i + " (" + tokens.get(i) + "): "
                        + charStarts.get(i) + ".." + charEnds.get(i));
            }
            if (wordIds.get(i) < NO_WORD) throw new IllegalArgumentException("bad word id " + wordIds.get(i) + " at token " + i);
        }
    }

    /** The number of tokens, special tokens included. */
    public int size() {
        return tokens.size();
    }

    /** Whether token {@code i} is a special token the tokenizer added. */
    public boolean isSpecial(int i) {
        return specialTokensMask.get(i) == 1;
    }

    /**
     * The ids as an {@code int[]}, the form every working array of ids takes ({@code Example}, the tagging
     * pipeline's windows, fill-mask); only a {@code Batch} widens them to {@code long}, for the int64 tensor.
     */
    public int[] idArray() {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The number of words this encoding has tokens of: one more than its largest word id (0 when none). */
    public int wordCount() {
        int max = NO_WORD;
        for (int w : wordIds) max = Math.max(max, w);
        return max + 1;
    }
}
