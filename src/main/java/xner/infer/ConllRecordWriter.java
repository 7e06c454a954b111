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
 * are its own.
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
        List<WordTag> words = tagged.words(aggregation);
        if (record instanceof InputRecord.Words w) {
            Map<Integer, String> byWord = new HashMap<>();
            for (WordTag t : words) byWord.put(t.wordIndex(), t.tag());
            for (int i = 0; i < w.words().size(); i++) {
                out.write(w.words().get(i));
                if (w.gold() != null) out.write(" " + w.gold().get(i));
                out.write(" " + byWord.getOrDefault(i, "O") + "\n"); // a word without tokens is O
            }
            out.write('\n');
        } else if (record instanceof InputRecord.Text) {
            for (WordTag word : words) out.write(word.word() + " " + word.tag() + "\n");
            if (!words.isEmpty()) out.write('\n');
        } else {
            throw new IllegalArgumentException("a malformed record is not written: " + record);
        }
    }
}
