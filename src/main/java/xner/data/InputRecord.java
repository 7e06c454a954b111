package xner.data;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * One record of a file to tag, as a {@link RecordReader} reads it: a text, a sentence of words, a document, or the
 * reason why the record at its line cannot be read (reported and skipped by the tagger; the run goes on).
 */
public sealed interface InputRecord {
    /** Where the record starts. */
    Source source();

    /**
     * A text to tag: a line of a text file, or the {@code text} field of a JSON Lines object.
     *
     * @param fields the JSON object the text came from (its other fields travel to the output), or null
     */
    record Text(Source source, String text, JsonObject fields) implements InputRecord {
        public Text {
            if (source == null || text == null) throw new IllegalArgumentException("source and text must not be null");
        }
    }

    /**
     * A sentence of words already split: a CoNLL sentence.
     *
     * @param gold the tag column of each word when the sentence has two columns or more, else null
     */
    record Words(Source source, List<String> words, List<String> gold) implements InputRecord {
        public Words {
            if (source == null) throw new IllegalArgumentException("source must not be null");
            words = List.copyOf(words);
            if (gold != null) {
                gold = List.copyOf(gold);
                if (gold.size() != words.size()) throw new IllegalArgumentException(words.size() + " words, " + gold.size() + " tags");
            }
        }
    }

    /**
     * A document's extracted text (a PDF, an Office file, a web page, an e-mail...), read whole by a
     * {@link DocumentExtractor}: its source is the file, at line 0.
     *
     * @param contentType the type the content was detected as ({@code application/pdf}), not the one its name says
     * @param pageStarts  for paged formats (PDF), the UTF-16 index in {@code text} where each page starts, page 1
     *                    first; empty for the others
     */
    record Document(Source source, String text, String contentType, List<Integer> pageStarts) implements InputRecord {
        public Document {
            if (source == null || text == null || contentType == null) {
                throw new IllegalArgumentException("source, text and contentType must not be null");
            }
            pageStarts = List.copyOf(pageStarts);
            for (int i = 0; i < pageStarts.size(); i++) {
                int start = pageStarts.get(i);
                if (start < 0 || start > text.length() || (i > 0 && start < pageStarts.get(i - 1))) {
                    throw new IllegalArgumentException("page " + (i + 1) + " starts at " + start + ": out of order or past the text");
                }
            }
        }

        /** The 1-based page that holds the character at {@code index}, or 0 when the document has no pages. */
        public int page(int index) {
            int page = 0;
            // the last page starting at or before the index; binary search, since a long PDF has hundreds
            int lo = 0, hi = pageStarts.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (pageStarts.get(mid) <= index) {
                    page = mid + 1;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return page;
        }
    }

    /** A record that cannot be read, and why, in words for the user ({@code not UTF-8 text}). */
    record Malformed(Source source, String reason) implements InputRecord {}
}
