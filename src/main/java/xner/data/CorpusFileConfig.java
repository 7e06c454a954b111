package xner.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How to read a user's tagged files ({@link CorpusFiles}): the format (detected when empty), the charset, the
 * CoNLL columns of the word and of the tag, and the tag scheme (detected per split when empty).
 *
 * @param format      conll, jsonl, spans or panx; empty: from the extension and the content
 * @param encoding    the files' charset (UTF-8 by default)
 * @param tokenColumn CoNLL column of the word, 1-based (1 by default; 2 for GermEval's TSV with an index column)
 * @param tagColumn   CoNLL column of the tag, 1-based; 0 for the last column of each line
 * @param scheme      the tag scheme the files are written in; empty: detected
 * @param offsets     what the offsets of span files count (UTF-16 code units by default)
 */
public record CorpusFileConfig(Optional<CorpusFormat> format, Charset encoding, int tokenColumn, int tagColumn,
        Optional<TagScheme> scheme, Offsets offsets) {
    public CorpusFileConfig {
        if (tokenColumn < 1) throw new IllegalArgumentException("the token column is 1-based, was " + tokenColumn);
        if (tagColumn < 0) throw new IllegalArgumentException("the tag column is 1-based (0: the last), was " + tagColumn);
        if (tagColumn != 0 && tagColumn == tokenColumn) {
            throw new IllegalArgumentException("the tag column and the token column are both " + tagColumn);
        }
        if (offsets == null) throw new IllegalArgumentException("offsets must not be null");
    }

    /** Detected format and scheme, UTF-8, word in the first column and tag in the last, UTF-16 span offsets. */
    public static CorpusFileConfig defaults() {
        return new CorpusFileConfig(Optional.empty(), StandardCharsets.UTF_8, 1, 0, Optional.empty(), Offsets.UTF_16);
    }

    public CorpusFileConfig withFormat(CorpusFormat f) {
        return new CorpusFileConfig(Optional.of(f), encoding, tokenColumn, tagColumn, scheme, offsets);
    }

    public CorpusFileConfig withEncoding(Charset e) {
        return new CorpusFileConfig(format, e, tokenColumn, tagColumn, scheme, offsets);
    }

    public CorpusFileConfig withColumns(int token, int tag) {
        return new CorpusFileConfig(format, encoding, token, tag, scheme, offsets);
    }

    public CorpusFileConfig withOffsets(Offsets o) {
        return new CorpusFileConfig(format, encoding, tokenColumn, tagColumn, scheme, o);
    }

    public CorpusFileConfig withScheme(TagScheme s) {
        return new CorpusFileConfig(format, encoding, tokenColumn, tagColumn, Optional.of(s), offsets);
    }
}
