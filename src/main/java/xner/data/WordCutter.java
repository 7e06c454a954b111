package xner.data;

import java.util.List;

/**
 * Cuts a text into words, as {@code tag} cuts it: the model's tokenizer decides (for BERT each punctuation mark is a
 * word of its own, for SentencePiece each space-separated piece), so a span file is read into the words the model
 * is trained and tags on. The tokenizer lives in {@code xner.tokenize}, below this package:
 * {@code xner.tokenize.PreTokenizedWords} is the cutter the commands use; tests may give a simpler one.
 */
@FunctionalInterface
public interface WordCutter {
    /**
     * The words of {@code text} in order, not overlapping; characters in no word (white space, and characters the
     * tokenizer drops) lie between them.
     */
    List<Word> cut(String text);

    /**
     * One word of a text.
     *
     * @param charStart UTF-16 index of its first character
     * @param charEnd   UTF-16 index after its last character
     */
    record Word(int charStart, int charEnd) {
        public Word {
            if (charStart < 0 || charEnd <= charStart) throw new IllegalArgumentException("bad word " + charStart + ".." + charEnd);
        }
    }

    /** For callers that read no span file: a span file met anyway is refused, saying so. */
    WordCutter NONE = text -> {
        throw new IllegalStateException("span files need the model's tokenizer to cut texts into words; none was given");
    };
}
