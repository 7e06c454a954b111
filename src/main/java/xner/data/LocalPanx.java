package xner.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import xner.XnerInputException;

/**
 * PAN-X from a local copy in XTREME's layout: {@code DIR/panx/<lang>/{train,dev,test}} or
 * {@code DIR/<lang>/{train,dev,test}}, files as {@link PanxReader} reads them. {@code dev} becomes the split
 * {@code validation}, as in Hugging Face's {@code xtreme}.
 *
 * <p>A language whose folder holds {@code test.untagged} instead of {@code test} (the openly mirrored
 * PAN-X.it) gets no {@code test} split: its {@link DatasetDict} has train and validation and a note on
 * {@code test} naming the untagged file. A folder without {@code train}, {@code dev} or any test file is an
 * error.
 */
public final class LocalPanx implements PanxSource {
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z]+)?");

    private final Path dataDir;
    private final PanxReader reader = new PanxReader(LabelSet.PANX);

    /** PAN-X under {@code dataDir}, which must be a folder. */
    public LocalPanx(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            throw new XnerInputException(dataDir + ": no such folder (expected PAN-X as panx/<lang>/{train,dev,test})");
        }
        this.dataDir = dataDir;
    }

    @Override
    public DatasetDict load(String lang) {
        Path dir = languageDir(lang);
        DatasetDict splits = DatasetDict.empty()
                .with("train", Dataset.read(reader, dir.resolve("train")))
                .with("validation", Dataset.read(reader, dir.resolve("dev")));
        Path test = dir.resolve("test");
        Path untagged = dir.resolve("test.untagged");
        if (Files.exists(test) || !Files.exists(untagged)) return splits.with("test", Dataset.read(reader, test));
        return splits.withNote("test", "PAN-X." + lang + " test has no gold tags (only " + untagged + ")");
    }

    /** The folder of {@code lang}'s files: {@code DIR/panx/<lang>} if present, else {@code DIR/<lang>}. */
    public Path languageDir(String lang) {
        if (!LANGUAGE.matcher(lang).matches()) {
            throw new XnerInputException("\"" + lang + "\" is not a PAN-X language code (such as de, fr, it, en)");
        }
        for (Path dir : List.of(dataDir.resolve("panx").resolve(lang), dataDir.resolve(lang))) {
            if (Files.isDirectory(dir)) return dir;
        }
        throw new XnerInputException("no PAN-X." + lang + " under " + dataDir + " (looked for panx/" + lang + "/ and "
                + lang + "/; languages there: " + (languages().isEmpty() ? "none" : String.join(", ", languages())) + ")");
    }

    /** The languages present: folders with a {@code train} file, under {@code DIR/panx} or {@code DIR}. */
    public List<String> languages() {
        Path root = Files.isDirectory(dataDir.resolve("panx")) ? dataDir.resolve("panx") : dataDir;
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("train")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new XnerInputException(root + ": cannot list: " + e, e);
        }
    }
}
