package xner.infer;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xner.XnerInputException;
import xner.data.InputRecord;

/**
 * CoNLL out: one word per line, {@code word tag}, or {@code word gold tag} for CoNLL input with gold tags; a
 * blank line after each record. A text's words are the tokenizer's (its pre-tokenized words); a sentence's
 * are its own. Every record has its block: a text without words (an empty or blank line) is written as the
 * comment line {@code # empty record (line N)}, N its input line, which {@link xner.data.ConllReader} and
 * {@code tag}'s own CoNLL reader skip as a comment.
 *
 * <p>A word is written with all its characters, or its record is refused (and reported) before anything is
 * written: a text with a character that is neither white space nor in a word of the tokenizer's (a control
 * character the tokenizer drops, U+001F, a zero-width space), since no line would hold it; a word holding a space, tab, CR or LF, which
 * would split its line.
 */
final class ConllRecordWriter implements RecordWriter {
    private final Writer out;
    private final Aggregation aggregation;

    ConllRecordWriter(Writer out, Aggregation aggregation) {
        if (!aggregation.wordLevel()) {
            throw new XnerInputException("CoNLL output has one tag per word: it needs aggregation first, average or max, not "
                    + aggregation.wireName());
        }
        this.out = out;
        this.aggregation = aggregation;
    }

    @Override
    public void write(InputRecord record, Tagged tagged) throws IOException {
        List<TaggedWord> words = tagged.words(aggregation);
        StringBuilder block = new StringBuilder();
        if (record instanceof InputRecord.Words w) {
            Map<Integer, String> byWord = new HashMap<>();
            for (TaggedWord t : words) byWord.put(t.wordIndex(), t.tag());
            for (int i = 0; i < w.words().size(); i++) {
                block.append(checked(w.words().get(i)));
                if (w.gold() != null) block.append(' ').append(w.gold().get(i));
                block.append(' ').append(byWord.getOrDefault(i, "O")).append('\n'); // a word without tokens is O
            }
        } else if (record instanceof InputRecord.Text t) {
            checkEveryCharacterIsInAWord(t.text(), words);
            for (TaggedWord word : words) block.append(checked(word.word())).append(' ').append(word.tag()).append('\n');
            if (words.isEmpty()) block.append("# empty record (line ").append(record.source().line()).append(")\n");
        } else if (record instanceof InputRecord.Document) {
            throw new XnerInputException("CoNLL output holds sentences of words, not documents: write JSON Lines (--format jsonl)");
        } else {
            throw new IllegalArgumentException("a malformed record is not written: " + record);
        }
        out.write(block.append('\n').toString());
    }

    /** Refuses a text whose CoNLL lines would lose a character: one that is neither white space nor in a word. */
    private static void checkEveryCharacterIsInAWord(String text, List<TaggedWord> words) {
        boolean[] covered = new boolean[text.length()];
        for (TaggedWord w : words) for (int i = w.start(); i < w.end(); i++) covered[i] = true;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!covered[i] && !separator(c)) {
                throw new XnerInputException(String.format("%s at column %d is in no word of the tokenizer's, so CoNLL output "
                        + "would drop it (JSON Lines output, --format jsonl, keeps the text whole)", codePoint(c), i + 1));
            }
            i += Character.charCount(c);
        }
    }

    /**
     * White space between words: space, tab, CR, LF and Unicode's space separators, as BERT's tokenizer counts it
     * (not Java's {@code isWhitespace}, which counts U+001C..U+001F, control characters the tokenizer drops).
     */
    private static boolean separator(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || Character.isSpaceChar(c);
    }

    /** The word, refused when it holds a column or line separator, or a lone surrogate UTF-8 cannot hold. */
    private static String checked(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isSurrogate(c) && !JsonlRecordWriter.pairedAt(word, i)) {
                throw new XnerInputException("the word \"" + JsonlRecordWriter.escapeLoneSurrogates(word) + "\" holds a lone "
                        + "surrogate, " + String.format("U+%04X", (int) c) + ", which UTF-8 cannot write (JSON Lines output, "
                        + "--format jsonl, keeps it as the escape \\u" + String.format("%04x", (int) c) + ")");
            }
            if (Character.isHighSurrogate(c)) {
                i++; // a pair: both halves checked
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                throw new XnerInputException("the word \"" + word.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
                        + "\" holds " + codePoint(c) + ", which would split its CoNLL line (JSON Lines output, --format jsonl, "
                        + "keeps it)");
            }
        }
        return word;
    }

    private static String codePoint(int c) {
        String name = Character.getName(c);
        return String.format("U+%04X", c) + (name == null ? "" : " (" + name.toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
