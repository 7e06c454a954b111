package xner.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import xner.XnerInputException;

/**
 * A split of a user's own corpus read from files, as {@code datasets.load_dataset("conll"/"json",
 * data_files=...)} and {@code run_ner.py --train_file} read them: each file in its format (given or
 * {@link CorpusFormat#detect detected}) and charset, its tags converted from its scheme (given or
 * {@link TagScheme#detect detected per file}) to IOB2, then mapped ({@link LabelMapping}).
 *
 * <pre>
 *   CorpusFiles train = CorpusFiles.read(List.of(Path.of("ned.train")), config, null, LabelMapping.NONE);
 *   LabelSet labels = LabelSet.fromData(train.sentences());
 *   Dataset data = train.dataset(labels);   // every tag checked, the first unknown one named with file and line
 * </pre>
 *
 * @param sentences the IOB2 sentences, in file order, files in the order given (a folder's in name order)
 * @param sources   where each word of each sentence was read, parallel to {@code sentences}
 * @param schemes   one line per file: its format and the scheme its tags were read in
 */
public record CorpusFiles(List<Sentence> sentences, List<List<Source>> sources, List<String> schemes) {
    public CorpusFiles {
        sentences = List.copyOf(sentences);
        sources = List.copyOf(sources);
        schemes = List.copyOf(schemes);
    }

    /**
     * Reads {@code paths} (files, or folders whose visible files are read in name order); a span file met here is
     * refused: {@link #read(List, CorpusFileConfig, LabelSet, LabelMapping, WordCutter)} reads those.
     *
     * @param idNames names of integer tag ids in JSON Lines ({@code --labels}), or null
     */
    public static CorpusFiles read(List<Path> paths, CorpusFileConfig config, LabelSet idNames, LabelMapping mapping) {
        return read(paths, config, idNames, mapping, WordCutter.NONE);
    }

    /**
     * Reads {@code paths} (files, or folders whose visible files are read in name order).
     *
     * @param idNames names of integer tag ids in JSON Lines ({@code --labels}), or null
     * @param words   how the texts of span files are cut into words: as the model's tokenizer cuts them
     */
    public static CorpusFiles read(List<Path> paths, CorpusFileConfig config, LabelSet idNames, LabelMapping mapping,
            WordCutter words) {
        List<Sentence> sentences = new ArrayList<>();
        List<List<Source>> sources = new ArrayList<>();
        List<String> schemes = new ArrayList<>();
        for (Path file : expand(paths)) {
            CorpusFormat format = config.format().orElseGet(() -> CorpusFormat.detect(file, config.encoding()));
            String leftOut = "";
            List<RawSentence> raw;
            switch (format) {
                case CONLL -> raw = ConllReader.readRaw(file, config.columns());
                case JSONL -> raw = JsonlReader.readRaw(file, config.encoding(), idNames);
                case PANX -> raw = PanxReader.readRaw(file, config.encoding());
                case SPANS -> {
                    SpanReader.AnnotatedTexts read = SpanReader.read(file, config.encoding(), config.offsets(), words);
                    raw = read.sentences();
                    leftOut = read.leftOut();
                }
                default -> throw new IllegalStateException("no reader for " + format);
            }
            if (format == CorpusFormat.SPANS) {
                // spans are made into IOB2 tags here: no scheme to detect or convert
                for (RawSentence r : raw) {
                    sentences.add(new Sentence(r.tokens(), mapping.apply(r.tags()), r.source()));
                    sources.add(r.sources());
                }
                schemes.add(file + ": " + raw.size() + " texts, spans (offsets in " + config.offsets().wireName()
                        + ") made into IOB2 tags of the tokenizer's words" + leftOut);
                continue;
            }
            TagScheme scheme = config.scheme().orElseGet(() -> TagScheme.detect(raw));
            for (RawSentence r : raw) {
                sentences.add(new Sentence(r.tokens(), mapping.apply(scheme.toIob2(r)), r.source()));
                sources.add(r.sources());
            }
            String detected = config.scheme().isPresent() ? "" : TagScheme.evidence(raw, scheme)
                    .map(where -> " (detected: " + where + (scheme == TagScheme.IOB1 ? "; --scheme IOB2 if that tag is a mistake" : "")
                            + ")").orElse(" (detected)");
            schemes.add(file + ": " + raw.size() + " sentences, " + format.name().toLowerCase() + ", tags in " + scheme + detected);
        }
        return new CorpusFiles(sentences, sources, schemes);
    }

    /**
     * The texts of annotated files, for {@code select --exclude}: every record of a span file (rejected and ignored
     * ones too: an annotator has seen them), and the words of every sentence of the other formats joined by single
     * spaces, as {@code tag} joins a CoNLL sentence into its text.
     */
    public static List<String> texts(List<Path> paths, CorpusFileConfig config) {
        List<String> texts = new ArrayList<>();
        for (Path file : expand(paths)) {
            CorpusFormat format = config.format().orElseGet(() -> CorpusFormat.detect(file, config.encoding()));
            switch (format) {
                case SPANS, JSONL -> texts.addAll(SpanReader.texts(file, config.encoding()));
                case CONLL -> ConllReader.readRaw(file, config.columns())
                        .forEach(r -> texts.add(String.join(" ", r.tokens())));
                case PANX -> PanxReader.readRaw(file, config.encoding()).forEach(r -> texts.add(String.join(" ", r.tokens())));
                default -> throw new IllegalStateException("no reader for " + format);
            }
        }
        return texts;
    }

    /**
     * These sentences as a dataset of {@code labels}. A tag outside the label set is refused with the word's
     * file and line: it is never counted as {@code O}.
     *
     * @param whose whose label set it is, for the message ("the training data's", "the model's")
     */
    public Dataset dataset(LabelSet labels, String whose) {
        for (int i = 0; i < sentences.size(); i++) {
            List<String> tags = sentences.get(i).tags();
            for (int k = 0; k < tags.size(); k++) {
                if (!labels.contains(tags.get(k))) {
                    throw new XnerInputException(sources.get(i).get(k).at("tag \"" + tags.get(k) + "\" is not in "
                            + whose + " label set (" + String.join(", ", labels.names()) + "); map its type with "
                            + "--map-labels " + tags.get(k).substring(2) + "=O (or another type), or keep only known "
                            + "types with --keep-types"));
                }
            }
        }
        return Dataset.of(sentences, labels);
    }

    /** Files as given; a folder's regular files that are not hidden, in name order. Nothing found is an error. */
    public static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    List<Path> inside = list.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
                    if (inside.isEmpty()) throw new XnerInputException(p + ": a folder without files");
                    files.addAll(inside);
                } catch (IOException e) {
                    throw new XnerInputException(p + ": cannot list: " + e.getMessage(), e);
                }
            } else if (!Files.exists(p)) {
                throw new XnerInputException(p + ": no such file");
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
