package xner.tokenize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import xner.data.WordCutter;

/**
 * The words of a text as {@code tag} cuts it: the tokenizer's pre-tokenized words, each running from its first
 * sub-token's first character to its last sub-token's last (runs of tokens that share a word id, exactly as the
 * pipeline's word-level aggregation groups them). The tokenizer is loaded on the first text, never truncating,
 * so a command that reads no span file never loads it.
 *
 * <pre>
 *   try (PreTokenizedWords words = new PreTokenizedWords(() -> modelDir)) {
 *       CorpusFiles train = CorpusFiles.read(paths, config, null, LabelMapping.NONE, words);
 *   }
 * </pre>
 */
public final class PreTokenizedWords implements WordCutter, AutoCloseable {
    private final Supplier<Path> tokenizerDir;
    private Tokenizer tokenizer;

    /** @param tokenizerDir the folder of the tokenizer files, asked for on the first text */
    public PreTokenizedWords(Supplier<Path> tokenizerDir) {
        this.tokenizerDir = tokenizerDir;
    }

    /** Over a tokenizer already loaded, which the caller keeps and closes; it should not truncate. */
    public PreTokenizedWords(Tokenizer tokenizer) {
        this.tokenizerDir = null;
        this.tokenizer = tokenizer;
    }

    @Override
    public synchronized List<Word> cut(String text) {
        if (tokenizer == null) tokenizer = Tokenizers.load(tokenizerDir.get(), Integer.MAX_VALUE);
        return words(tokenizer.encode(text));
    }

    /** The words of a text's encoding: runs of non-special tokens with one word id (a token without one is a word alone). */
    static List<Word> words(Encoding e) {
        List<Word> words = new ArrayList<>();
        int start = -1;
        int end = -1;
        int wordId = Encoding.NO_WORD;
        for (int i = 0; i < e.size(); i++) {
            if (e.isSpecial(i)) continue;
            int id = e.wordIds().get(i);
            boolean continues = start >= 0 && id != Encoding.NO_WORD && id == wordId;
            if (!continues) {
                if (start >= 0 && end > start) words.add(new Word(start, end));
                start = e.charStarts().get(i);
            }
            end = e.charEnds().get(i);
            wordId = id;
        }
        if (start >= 0 && end > start) words.add(new Word(start, end));
        return words;
    }

    @Override
    public synchronized void close() {
        if (tokenizer != null && tokenizerDir != null) tokenizer.close(); // one given by the caller stays the caller's
        tokenizer = null;
    }
}
