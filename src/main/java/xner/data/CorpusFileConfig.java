package xner.data;

import java.nio.charset.Charset;
import java.util.Optional;

/**
 * How to read a user's tagged files ({@link CorpusFiles}): the format (detected when empty), the charset and CoNLL
 * columns ({@link ColumnLayout}, as {@code tag --input} reads them too), and the tag scheme (detected per split
 * when empty).
 *
 * @param format  conll, jsonl, spans or panx; empty: from the extension and the content
 * @param columns the files' charset and the CoNLL columns of the word and of the tag
 * @param scheme  the tag scheme the files are written in; empty: detected
 * @param offsets what the offsets of span files count (UTF-16 code units by default)
 */
public record CorpusFileConfig(Optional<CorpusFormat> format, ColumnLayout columns, Optional<TagScheme> scheme, Offsets offsets) {
    public CorpusFileConfig {
        if (columns == null) throw new IllegalArgumentException("columns must not be null");
        if (offsets == null) throw new IllegalArgumentException("offsets must not be null");
    }

    /** Detected format and scheme, UTF-8, word in the first column and tag in the last, UTF-16 span offsets. */
    public static CorpusFileConfig defaults() {
        return new CorpusFileConfig(Optional.empty(), ColumnLayout.DEFAULT, Optional.empty(), Offsets.UTF_16);
    }

    public Charset encoding() {
        return columns.encoding();
    }

    public CorpusFileConfig withFormat(CorpusFormat f) {
        return new CorpusFileConfig(Optional.of(f), columns, scheme, offsets);
    }

    public CorpusFileConfig withEncoding(Charset e) {
        return withColumns(new ColumnLayout(e, columns.tokenColumn(), columns.tagColumn()));
    }

    public CorpusFileConfig withColumns(int token, int tag) {
        return withColumns(new ColumnLayout(columns.encoding(), token, tag));
    }

    public CorpusFileConfig withColumns(ColumnLayout c) {
        return new CorpusFileConfig(format, c, scheme, offsets);
    }

    public CorpusFileConfig withOffsets(Offsets o) {
        return new CorpusFileConfig(format, columns, scheme, o);
    }

    public CorpusFileConfig withScheme(TagScheme s) {
        return new CorpusFileConfig(format, columns, Optional.of(s), offsets);
    }
}
