package xner.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of XTREME's PAN-X (WikiANN) files: one word per line as {@code lang:token<TAB>tag}, a blank line
 * between sentences.
 *
 * <p>The language prefix ends at the first colon only, as Hugging Face's {@code xtreme} loader strips it:
 * {@code de:3:57,22} is the token {@code 3:57,22}. Every line of a file must carry the same prefix (a line
 * without one, or with another language's, is an error). Tolerated: several blank lines in a row, and a last
 * sentence that ends at end of file without a blank line (the {@code it} files). Refused, with file and
 * line: a line without a tab, a line with more than one tab, an empty token, a tag outside the label set,
 * a file without sentences.
 *
 * <p>{@link #readUntagged(Path)} reads PAN-X's {@code test.untagged}: the same layout without the
 * {@code <TAB>tag} column.
 */
public final class PanxReader {
    private final LabelSet labels;

    public PanxReader(LabelSet labels) {
        this.labels = labels;
    }

    /** A reader for PAN-X's own tags ({@link LabelSet#PANX}). */
    public PanxReader() {
        this(LabelSet.PANX);
    }

    /** The label set every tag read is checked against. */
    public LabelSet labels() {
        return labels;
    }

    /** The sentences of {@code file}, in file order, each tag checked against {@link #labels()}. */
    public List<Sentence> read(Path file) {
        List<Sentence> sentences = new ArrayList<>();
        parse(file, StandardCharsets.UTF_8, true, (tokens, tags, source) -> sentences.add(new Sentence(tokens, tags, source)));
        return sentences;
    }

    /** The sentences of a file without tags ({@code lang:token} per line), such as {@code test.untagged}. */
    public List<UntaggedSentence> readUntagged(Path file) {
        List<UntaggedSentence> sentences = new ArrayList<>();
        parse(file, StandardCharsets.UTF_8, false, (tokens, tags, source) -> sentences.add(new UntaggedSentence(tokens, source)));
        return sentences;
    }

    /**
     * The sentences of a PAN-X-layout file with tags as written (not checked against a label set), for
     * {@link CorpusFiles}: a user's own file in {@code lang:token<TAB>tag} lines.
     */
    public static List<RawSentence> readRaw(Path file, Charset charset) {
        List<RawSentence> sentences = new ArrayList<>();
        new PanxReader(null).parse(file, charset, true, (tokens, tags, source) -> {
            List<Source> sources = new ArrayList<>(tokens.size());
            for (int k = 0; k < tokens.size(); k++) sources.add(new Source(file, source.line() + k)); // one word a line
            sentences.add(new RawSentence(tokens, tags, sources));
        });
        return sentences;
    }

    private interface Sink {
        void accept(List<String> tokens, List<String> tags, Source source);
    }

    private void parse(Path file, Charset charset, boolean tagged, Sink sink) {
        TextFile text = TextFile.read(file, charset);
        String expected = tagged ? "\"lang:token<TAB>tag\"" : "\"lang:token\"";
        String language = null;
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int start = 0;
        int count = 0;
        for (String line; (line = text.nextLine()) != null; ) {
            if (line.isEmpty()) {
                if (!tokens.isEmpty()) {
                    sink.accept(tokens, tags, new Source(file, start));
                    count++;
                    tokens.clear();
                    tags.clear();
                }
                continue;
            }
            int tab = line.indexOf('\t');
            int end = tab < 0 ? line.length() : tab;
            if (tagged && tab < 0) {
                throw text.error("expected " + expected + ", found " + TextFile.quote(line) + " (no tag)");
            }
            if (!tagged && tab >= 0) {
                throw text.error("expected " + expected + " (an untagged file), found " + TextFile.quote(line));
            }
            if (tab >= 0 && line.indexOf('\t', tab + 1) >= 0) {
                throw text.error("expected " + expected + ", found " + TextFile.quote(line) + " (more than one tab)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon >= end) {
                throw text.error("expected " + expected + ", found " + TextFile.quote(line) + " (no language prefix)");
            }
            String prefix = line.substring(0, colon);
            if (language == null) {
                language = prefix;
            } else if (!language.equals(prefix)) {
                throw text.error("language prefix \"" + prefix + "\" differs from \"" + language
                        + "\" of the lines before, in " + TextFile.quote(line));
            }
            if (colon + 1 == end) throw text.error("empty token in " + TextFile.quote(line));
            if (tokens.isEmpty()) start = text.lineNumber();
            tokens.add(line.substring(colon + 1, end));
            if (tagged) tags.add(labels == null ? line.substring(tab + 1) : tag(text, line.substring(tab + 1)));
        }
        if (!tokens.isEmpty()) {
            sink.accept(tokens, tags, new Source(file, start));
            count++;
        }
        if (count == 0) throw CorpusErrors.noSentences(text);
    }

    /** The label set's own instance of {@code name}, so that a corpus holds seven tag strings, not millions. */
    private String tag(TextFile text, String name) {
        int id = labels.indexOf(name);
        if (id < 0) throw text.error(CorpusErrors.unknownTag(name, labels));
        return labels.name(id);
    }
}
