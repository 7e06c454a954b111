package xner.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentences of a CoNLL-style column file, for training and evaluation ({@link CorpusFiles}): one word per line,
 * cut into columns by {@link ConllColumns} (the rule {@code tag --input} follows too: separators, word and tag
 * columns, comments); other columns, such as part of speech or GermEval's nested tag, are ignored; a blank line
 * between sentences; {@code -DOCSTART-} lines mark documents and are skipped (they also end a sentence).
 *
 * <p>Tags are read as written, for {@link CorpusFiles} to convert to IOB2 and map. Refused, with file and line: a
 * line without a tag column, an empty word, mixed separators, a file without sentences.
 */
public final class ConllReader {
    private ConllReader() {}

    /** The sentences of {@code file} in {@code layout}'s charset and columns, with tags as written. */
    public static List<RawSentence> readRaw(Path file, ColumnLayout layout) {
        TextFile text = TextFile.read(file, layout.encoding());
        ConllColumns columns = new ConllColumns(layout, true);
        List<RawSentence> sentences = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        for (String line; (line = text.nextLine()) != null; ) {
            if (ConllColumns.endsSentence(line)) {
                if (!tokens.isEmpty()) {
                    sentences.add(new RawSentence(tokens, tags, sources));
                    tokens.clear();
                    tags.clear();
                    sources.clear();
                }
                continue;
            }
            ConllColumns.Word word;
            try {
                word = columns.word(line, text.lineNumber(), tokens.isEmpty());
            } catch (ConllColumns.BadLine e) {
                throw text.error(e.getMessage());
            }
            if (word == null) continue; // a comment
            tokens.add(word.token());
            tags.add(word.tag());
            sources.add(text.source());
        }
        if (!tokens.isEmpty()) sentences.add(new RawSentence(tokens, tags, sources));
        if (sentences.isEmpty()) throw CorpusErrors.noSentences(text);
        return sentences;
    }
}
