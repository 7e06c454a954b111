package xner.data;

import xner.XnerInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PAN-X from the Hugging Face hub: the three Parquet splits of config {@code PAN-X.<lang>} of the dataset
 * {@code google/xtreme}, downloaded once into the cache and read as sentences.
 *
 * <pre>
 *   Map&lt;String, List&lt;Sentence&gt;&gt; de = HubPanx.fromEnvironment().load("de"); // train, validation, test
 * </pre>
 *
 * <p>The files, as the hub holds them since the dataset was converted from a loading script to Parquet (Feb 2024):
 * {@code PAN-X.<lang>/{train,validation,test}-00000-of-00001.parquet} on branch {@code main}; the dataset card's
 * {@code configs} maps each split to {@code PAN-X.<lang>/<split>-*}. For instance commit
 * {@code 0e87cee832914cea0f33e522578083f9e85c5358} ("Add PAN-X.de data files") added train (1,182,366 bytes,
 * 20,000 rows), validation (590,283 bytes, 10,000 rows) and test (587,593 bytes, 10,000 rows); fr, it and en were
 * added alike (commits {@code ceeebad0}, {@code 9b368b2b}, {@code a1baee9f}). The older automatic conversion on
 * {@code refs/convert/parquet} names them {@code PAN-X.<lang>/<split>/0000.parquet} instead. Columns: {@code tokens},
 * {@code ner_tags} ({@code ClassLabel} O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC) and {@code langs}; see
 * {@link PanxParquetReader}.
 *
 * <p>Files are kept in {@code huggingface_hub}'s cache ({@link HubDownloader}). A split the cache holds for the
 * revision is read without asking the hub: PAN-X does not change, and a run should not wait on the network for it.
 * A download that fails says which URL failed and that a local PAN-X copy given with {@code --data-dir} is the
 * way to work without the hub.
 */
public final class HubPanx implements PanxSource {
    public static final HubDownloader.Repo REPO = HubDownloader.Repo.dataset("google/xtreme");
    public static final String DEFAULT_REVISION = "main";
    /** The split names, as Hugging Face names them (the XTREME files call validation {@code dev}). */
    public static final List<String> SPLITS = List.of("train", "validation", "test");

    private final HubDownloader downloader;
    private final String revision;
    private final PanxParquetReader reader = new PanxParquetReader();

    /**
     * @param downloader the hub endpoint, token and cache to use
     * @param revision   a branch, tag or commit of {@code google/xtreme}, e.g. {@link #DEFAULT_REVISION}; a commit
     *                   hash pins the data
     */
    public HubPanx(HubDownloader downloader, String revision) {
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.revision = Objects.requireNonNull(revision, "revision");
    }

    /** PAN-X from the hub at {@code main}, with endpoint, token and cache from the environment ({@link HubDownloader}). */
    public static HubPanx fromEnvironment() {
        return new HubPanx(HubDownloader.fromEnvironment(), DEFAULT_REVISION);
    }

    /** The path of a split's file in the repository, e.g. {@code PAN-X.de/train-00000-of-00001.parquet}. */
    public static String file(String lang, String split) {
        return "PAN-X." + lang + "/" + split + "-00000-of-00001.parquet";
    }

    /** The splits of {@code PAN-X.<lang>} (train, validation, test, in that order), downloaded when not cached. */
    @Override
    public DatasetDict load(String lang) {
        if (lang == null || !lang.matches("[a-z]{2,3}")) {
            throw new XnerInputException("not a PAN-X language code: \"" + lang + "\" (e.g. de, fr, it, en)");
        }
        DatasetDict splits = DatasetDict.empty();
        for (String split : SPLITS) splits = splits.with(split, Dataset.of(reader.read(download(lang, split)), LabelSet.PANX));
        return splits;
    }

    private Path download(String lang, String split) {
        try {
            String file = file(lang, split);
            return downloader.cached(REPO, revision, file)
                    .orElseGet(() -> downloader.download(REPO, revision, file))
                    .file();
        } catch (XnerInputException e) {
            String message = e.getMessage();
            throw new XnerInputException(message + (message.endsWith("?") || message.endsWith(".") ? " " : ". ")
                    + "To work without the hub, point --data-dir at a local copy of PAN-X (XTREME layout: <lang>/train,"
                    + " <lang>/dev, <lang>/test).", e);
        }
    }
}
