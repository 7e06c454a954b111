package xner.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.data.Dataset;
import xner.data.DatasetDict;
import xner.data.Sentence;
import xner.data.SwissCorpus;
import xner.io.JsonOutput;

/**
 * {@code xner corpus}: builds the chapter's Swiss PAN-X corpus and prints its tables: subset sizes per
 * language and split, each language's first training sentence with its tags, and entity counts per type and
 * split. With {@code --json}, one JSON object on one line: {@code seed}, {@code fractions}, {@code sizes}
 * (lang → split → count), {@code first} (lang → {tokens, tags}), {@code entities} (lang → split → type →
 * count) and {@code notes} (lang → split → where the split comes from, such as Italian test from dev).
 * Every figure of a split with a note is marked {@code *} in the tables, and the notes are printed below.
 *
 * <pre>
 *   bin/xner corpus --data-dir ../shared/data --seed 0
 * </pre>
 */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Build the Swiss PAN-X corpus (de .629, fr .229, it .084, en .059) and print its sizes, "
                + "first training sentences and entity counts.")
public final class CorpusCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin DataDirOption data;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Shuffle seed, as Dataset.shuffle(seed=) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--langs", split = ",", defaultValue = "de,fr,it,en", paramLabel = "LANGS", hideParamSyntax = true,
            description = "Comma-separated languages, in order (default: ${DEFAULT-VALUE}).")
    List<String> langs;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Override
    public Integer call() {
        SwissCorpus corpus = SwissCorpus.sample(data.source(spec.commandLine().getErr()), seed, langs);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonOutput.LINE.toJson(summary(corpus)));
        } else {
            printTables(corpus, out);
        }
        out.flush();
        return Xner.EXIT_OK;
    }

    /** The JSON object: seed, fractions, sizes, first, entities and notes, each keyed by language. */
    static Map<String, Object> summary(SwissCorpus corpus) {
        Map<String, Object> sizes = new LinkedHashMap<>();
        Map<String, Object> first = new LinkedHashMap<>();
        Map<String, Object> entities = new LinkedHashMap<>();
        Map<String, Object> fractions = new LinkedHashMap<>();
        Map<String, Object> notes = new LinkedHashMap<>();
        for (String lang : corpus.languages()) {
            DatasetDict d = corpus.get(lang);
            fractions.put(lang, corpus.fraction(lang));
            Map<String, Integer> langSizes = new LinkedHashMap<>();
            Map<String, Object> langEntities = new LinkedHashMap<>();
            for (String split : d.splits()) {
                langSizes.put(split, d.get(split).size());
                langEntities.put(split, d.get(split).entityCounts());
            }
            sizes.put(lang, langSizes);
            entities.put(lang, langEntities);
            Sentence s = firstTraining(d);
            if (s != null) {
                Map<String, Object> sentence = new LinkedHashMap<>();
                sentence.put("tokens", s.words());
                sentence.put("tags", s.tags());
                first.put(lang, sentence);
            }
            if (!d.notes().isEmpty()) notes.put(lang, d.notes());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("seed", corpus.seed());
        summary.put("fractions", fractions);
        summary.put("sizes", sizes);
        summary.put("first", first);
        summary.put("entities", entities);
        summary.put("notes", notes);
        return summary;
    }

    private static void printTables(SwissCorpus corpus, PrintWriter out) {
        List<String> langs = corpus.languages();
        List<String> splits = splits(corpus);
        out.println("Swiss PAN-X corpus, seed " + corpus.seed()
                + ": each split shuffled with the seed, then its first int(fraction x size) sentences");
        out.println();
        Table sizes = new Table();
        sizes.row(header("", langs));
        List<String> fractions = new ArrayList<>(List.of("fraction"));
        for (String lang : langs) fractions.add(String.valueOf(corpus.fraction(lang)));
        sizes.row(fractions);
        for (String split : splits) {
            List<String> row = new ArrayList<>(List.of(split));
            for (String lang : langs) {
                DatasetDict d = corpus.get(lang);
                row.add(d.find(split).map(ds -> ds.size() + mark(d, split)).orElse("-"));
            }
            sizes.row(row);
        }
        sizes.print(out, true);
        printNotes(corpus, out);

        out.println();
        out.println("First training sentence");
        for (String lang : langs) {
            Sentence s = firstTraining(corpus.get(lang));
            if (s == null) continue;
            Table t = new Table();
            t.row(header(lang + "  Tokens", s.words()));
            t.row(header("    Tags", s.tags()));
            t.print(out, false);
        }

        out.println();
        out.println("Entities per split (one per B- tag)");
        for (String lang : langs) {
            DatasetDict d = corpus.get(lang);
            Table t = new Table();
            List<String> types = new ArrayList<>(d.get(d.splits().get(0)).entityCounts().keySet());
            t.row(header(lang, types));
            for (String split : d.splits()) {
                List<String> row = new ArrayList<>(List.of(split + mark(d, split)));
                d.get(split).entityCounts().values().forEach(n -> row.add(String.valueOf(n)));
                t.row(row);
            }
            out.println();
            t.print(out, true);
        }
        out.println();
        printNotes(corpus, out);
    }

    /** "*" after a figure whose split has a provenance note, so that no such figure appears unmarked. */
    private static String mark(DatasetDict d, String split) {
        return d.has(split) && d.note(split).isPresent() ? "*" : "";
    }

    private static void printNotes(SwissCorpus corpus, PrintWriter out) {
        for (String lang : corpus.languages()) {
            corpus.get(lang).notes().forEach((split, note) -> out.println("* " + lang + " " + split + ": " + note));
        }
    }

    private static Sentence firstTraining(DatasetDict d) {
        Dataset train = d.find("train").orElse(null);
        return train == null || train.size() == 0 ? null : train.get(0);
    }

    private static List<String> splits(SwissCorpus corpus) {
        List<String> splits = new ArrayList<>();
        for (String lang : corpus.languages()) {
            for (String split : corpus.get(lang).splits()) if (!splits.contains(split)) splits.add(split);
        }
        return splits;
    }

    private static List<String> header(String first, List<String> rest) {
        List<String> row = new ArrayList<>(List.of(first));
        row.addAll(rest);
        return row;
    }

    /** Rows of cells printed in aligned columns; widths in code points. */
    private static final class Table {
        private final List<List<String>> rows = new ArrayList<>();

        void row(List<String> cells) {
            rows.add(cells);
        }

        /** Prints the rows; {@code numeric} right-aligns every column but the first. */
        void print(PrintWriter out, boolean numeric) {
            List<Integer> widths = new ArrayList<>();
            for (List<String> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    int w = row.get(i).codePointCount(0, row.get(i).length());
                    if (i == widths.size()) widths.add(w);
                    else widths.set(i, Math.max(widths.get(i), w));
                }
            }
            for (List<String> row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    String cell = row.get(i);
                    String pad = " ".repeat(widths.get(i) - cell.codePointCount(0, cell.length()));
                    if (i > 0) line.append("  ");
                    line.append(numeric && i > 0 ? pad + cell : cell + pad);
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
