package xner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import xner.XnerInputException;
import xner.data.CorpusFileConfig;
import xner.data.CorpusFiles;
import xner.data.CorpusFormat;
import xner.data.LabelMapping;
import xner.data.LabelSet;
import xner.data.Offsets;
import xner.data.TagScheme;
import xner.data.WordCutter;

/**
 * A user's own corpus as named splits of files ({@code --train}, {@code --validation}, {@code --test}), in the
 * manner of {@code load_dataset("conll", data_files={...})} and {@code run_ner.py --train_file}, with how to
 * read them; shared by {@code train}, {@code evaluate} and {@code analyze}.
 */
final class CorpusFileOptions {
    @Option(names = "--train", split = ",", paramLabel = "FILE",
            description = "Training files or folders (CoNLL columns, JSON Lines or PAN-X; with --train-langs, PAN-X is added).")
    List<Path> train = new ArrayList<>();

    @Option(names = "--validation", split = ",", paramLabel = "FILE", description = "Validation files or folders.")
    List<Path> validation = new ArrayList<>();

    @Option(names = "--test", split = ",", paramLabel = "FILE", description = "Test files or folders.")
    List<Path> test = new ArrayList<>();

    @Option(names = "--format", paramLabel = "conll|jsonl|spans|panx",
            description = "The files' format (default: from the extension and the first line; JSON Lines whose first record "
                    + "has a \"text\" and no \"ner_tags\" are spans: Prodigy's \"spans\", doccano's \"label\" or tag's "
                    + "\"entities\").")
    String format;

    @Option(names = "--offsets", defaultValue = "utf-16", paramLabel = "utf-16|code-points",
            description = "What the start and end of span files count: UTF-16 code units (Java's and JavaScript's, "
                    + "default) or code points (Python's: Prodigy's and doccano's when the text has an emoji).")
    String offsets;

    @Mixin ColumnOptions columns;

    @Option(names = "--scheme", paramLabel = "IOB1|IOB2|IOBES|BILOU",
            description = "The files' tag scheme (default: detected per file); tags are converted to IOB2.")
    String scheme;

    @Option(names = "--labels", split = ",", paramLabel = "LABELS",
            description = "The label names in id order (O,B-PER,I-PER,...): names JSON Lines' integer tag ids and, "
                    + "when training, fixes the model's label set (default: from the training data).")
    List<String> labels;

    @Option(names = "--map-labels", paramLabel = "FROM=TO,...|FILE",
            description = "Rename or drop types or tags, e.g. PERderiv=O,PERpart=O or PERSON=PER (or a file of such lines).")
    String mapLabels;

    @Option(names = "--keep-types", split = ",", paramLabel = "TYPES",
            description = "Keep only these entity types, e.g. PER,ORG,LOC (the others become O).")
    List<String> keepTypes;

    boolean any() {
        return !train.isEmpty() || !validation.isEmpty() || !test.isEmpty();
    }

    CorpusFileConfig config() {
        CorpusFileConfig c = CorpusFileConfig.defaults().withColumns(columns.layout())
                .withOffsets(Offsets.parse(offsets, "--offsets"));
        if (format != null) c = c.withFormat(CorpusFormat.parse(format));
        if (scheme != null) c = c.withScheme(TagScheme.parse(scheme));
        return c;
    }

    LabelMapping mapping() {
        return LabelMapping.parse(mapLabels, keepTypes);
    }

    /** The label names of {@code --labels} as given (checked: no duplicates), or null. */
    LabelSet givenLabels() {
        if (labels == null || labels.isEmpty()) return null;
        Set<String> seen = new LinkedHashSet<>();
        for (String l : labels) {
            String name = l.strip();
            if (name.isEmpty()) throw new XnerInputException("--labels: an empty label name in " + String.join(",", labels));
            if (!seen.add(name)) throw new XnerInputException("--labels: \"" + name + "\" is given twice");
        }
        return new LabelSet(List.copyOf(seen));
    }

    /**
     * The model's label set from {@code --labels}: the names as given when they are IOB2 with O (after the
     * mapping), else the IOB2 set of their types in order of first appearance; null without {@code --labels}.
     */
    LabelSet modelLabels() {
        LabelSet given = givenLabels();
        if (given == null) return null;
        LabelMapping mapping = mapping();
        List<String> mapped = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (String name : given.names()) {
            if (!name.equals("O") && !(name.length() > 2 && name.charAt(1) == '-')) {
                throw new XnerInputException("--labels: \"" + name + "\" is not O or a tag such as B-PER");
            }
            String iob2 = name.equals("O") ? "O" : "BI".indexOf(name.charAt(0)) >= 0 ? name : "B-" + name.substring(2);
            String m = mapping.mapOne(iob2);
            if (!mapped.contains(m)) mapped.add(m);
            if (!m.equals("O") && !types.contains(m.substring(2))) types.add(m.substring(2));
        }
        if (types.isEmpty()) throw new XnerInputException("--labels: no entity type among " + String.join(",", given.names()));
        LabelSet iob2 = LabelSet.iob2(types);
        return mapped.size() == iob2.size() && mapped.containsAll(iob2.names()) ? new LabelSet(mapped) : iob2;
    }

    /** Reads {@code paths}; the texts of span files are cut into words by {@code words}, the model's tokenizer. */
    CorpusFiles read(List<Path> paths, WordCutter words) {
        return CorpusFiles.read(paths, config(), givenLabels(), mapping(), words);
    }
}
