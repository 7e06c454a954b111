package xner.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import xner.XnerInputException;
import xner.data.DatasetDict;
import xner.data.PanxSource;
import xner.data.SwissCorpus;

/** Where PAN-X comes from and which corpus is built from it; shared by the commands that train or score. */
final class DataOptions {
    @Mixin DataDirOption dataDir;

    @Option(names = "--corpus", defaultValue = "swiss", paramLabel = "swiss|full",
            description = "swiss: each language's splits sampled in its Swiss proportion (the chapter's corpus); "
                    + "full: the whole PAN-X splits (default: ${DEFAULT-VALUE}).")
    String corpus;

    @Option(names = "--corpus-seed", defaultValue = "0", paramLabel = "S",
            description = "Shuffle seed of the Swiss sampling (default: ${DEFAULT-VALUE}, as the chapter).")
    long corpusSeed;

    /** Each language's splits, in the order given. */
    java.util.Map<String, DatasetDict> load(List<String> langs, PrintWriter err) {
        PanxSource source = dataDir.source(err);
        java.util.Map<String, DatasetDict> splits = new java.util.LinkedHashMap<>();
        switch (corpus) {
            case "swiss" -> {
                SwissCorpus swiss = SwissCorpus.sample(source, corpusSeed, langs);
                for (String lang : langs) splits.put(lang, swiss.get(lang));
            }
            case "full" -> {
                for (String lang : langs) splits.put(lang, source.load(lang));
            }
            default -> throw new XnerInputException("--corpus: expected swiss or full, got \"" + corpus + "\"");
        }
        return splits;
    }
}
