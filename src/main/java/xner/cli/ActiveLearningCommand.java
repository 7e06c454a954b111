package xner.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.ColumnLayout;
import xner.data.CorpusFileConfig;
import xner.data.CorpusFiles;
import xner.data.DatasetDict;
import xner.data.LabelMapping;
import xner.data.LabelSet;
import xner.experiment.ActiveLearningData;
import xner.experiment.ActiveLearningExperiment;
import xner.experiment.ActiveLearningResults;
import xner.experiment.ActiveLearningSettings;
import xner.experiment.ExperimentReport;
import xner.model.ModelSource;
import xner.model.MultilingualBert;
import xner.model.Precision;
import xner.select.Strategy;

/**
 * {@code xner experiment active-learning}: what choosing sentences by the model's uncertainty saves an annotator,
 * simulated with gold labels, resumable with {@code --resume}.
 *
 * <pre>
 *   bin/xner experiment active-learning --setting french-from-german --model runs/de --output runs/al-fr
 *   bin/xner experiment active-learning --setting dutch --output runs/al-nl
 * </pre>
 */
@Command(name = "active-learning", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate active learning with gold labels: for each strategy (random, mnlp, entropy), round k "
                + "chooses more sentences of the pool with round k-1's model (round 1: the starting model), gives them their "
                + "gold tags, fine-tunes the starting model on every sentence chosen so far (the chapter's recipe) and scores "
                + "the test set. Writes runs/<strategy>-<n>/ (spec, selection, result) as each round ends, then results.json, "
                + "report.md, report.html and plots/ (F1 against annotated sentences, one line per strategy) in --output.",
                "Settings: french-from-german (--model the German model; pool: Swiss PAN-X French train; rounds 100, 250, "
                        + "500, 1000; French test), dutch (multilingual BERT; pool: <data-dir>/conll2002-nl/ned.train, latin-1; "
                        + "rounds 250, 500, 1000, 2000; ned.testb), or your own --pool, --validation and --test.",
                "A stopped run goes on from its first unfinished round with --resume and the same --output."})
public final class ActiveLearningCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;

    @Option(names = "--setting", paramLabel = "french-from-german|dutch",
            description = "Issue 23's settings (data, model, rounds); the options below override their parts. Without it, "
                    + "give --pool, --validation and --test.")
    String setting;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where results, report, plots and the rounds' folders go; keep it to resume.")
    Path output;

    @Option(names = "--resume", description = "Go on in an --output that holds rounds already: finished rounds are skipped, "
            + "a stopped one goes on from its selection and its last epoch.")
    boolean resume;

    @Option(names = "--model", paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "The starting model, fine-tuned again in every round: a token classifier (its head is kept for the "
                    + "pool's labels) or a pretrained body (default: multilingual BERT; french-from-german needs the German "
                    + "model)." + ModelArgument.HELP)
    ModelSource model;

    @Option(names = "--pool", split = ",", paramLabel = "FILE", description = "The pool to choose from, with gold tags (CoNLL, "
            + "JSON Lines or PAN-X files): the simulated annotator's answers.")
    List<Path> pool = new ArrayList<>();

    @Option(names = "--validation", split = ",", paramLabel = "FILE", description = "Validation files, scored after every epoch.")
    List<Path> validation = new ArrayList<>();

    @Option(names = "--test", split = ",", paramLabel = "FILE", description = "Test files, scored after every round.")
    List<Path> test = new ArrayList<>();

    @Option(names = "--encoding", paramLabel = "CHARSET",
            description = "The files' charset (default: UTF-8; latin-1 for --setting dutch).")
    String encoding;

    @Option(names = "--rounds", split = ",", paramLabel = "N",
            description = "Annotated sentences after each round, ascending (french-from-german: 100,250,500,1000; dutch: "
                    + "250,500,1000,2000).")
    List<Integer> rounds;

    @Option(names = "--strategies", split = ",", paramLabel = "NAMES",
            description = "Strategies compared (default: random,mnlp,entropy).")
    List<String> strategies;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of the random strategy (default: 42); reported.")
    Long seed;

    @Option(names = "--first-round", defaultValue = "auto", paramLabel = "auto|strategy|random",
            description = "How round 1 chooses: strategy asks the starting model; random draws with --seed for every strategy "
                    + "(a cold start); auto (default): strategy when the starting model's head is trained for the pool's "
                    + "labels, else random (an untrained head's uncertainty is noise).")
    String firstRound;

    @Option(names = "--max-length", paramLabel = "TOKENS",
            description = "Sub-tokens per sentence in training, scoring and choosing (default: the tokenizer's; 256 for dutch).")
    Integer maxLength;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of every round's fine-tuning (default: 3, the chapter's).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Training batch (default: 24, the chapter's).")
    Integer batchSize;

    @Option(names = "--max-pool", defaultValue = "0", paramLabel = "N",
            description = "Keep the first N pool sentences (default: all). For quick looks: the report says it is capped.")
    int maxPool;

    @Option(names = "--max-validation", defaultValue = "0", paramLabel = "N",
            description = "Keep the first N validation sentences (default: all, as the chapter validates).")
    int maxValidation;

    @Option(names = "--max-test", defaultValue = "0", paramLabel = "N", description = "Keep the first N test sentences (default: all).")
    int maxTest;

    @Option(names = "--keep-models", arity = "0..1", split = ",", fallbackValue = "*", paramLabel = "IDS",
            description = "Keep the rounds' fine-tuned models (700 MB each for BERT base), all or these (e.g. mnlp-500); by "
                    + "default each is deleted once its strategy's next round has chosen with it.")
    List<String> keepModels;

    /** Issue 23's two settings. */
    enum Setting {
        FRENCH_FROM_GERMAN("french-from-german"), DUTCH("dutch");

        final String label;

        Setting(String label) {
            this.label = label;
        }

        static Setting parse(String name) {
            for (Setting s : values()) if (s.label.equals(name.strip())) return s;
            throw new XnerInputException("--setting: expected french-from-german or dutch, got \"" + name + "\"");
        }
    }

    @Override
    public Integer call() throws IOException {
        device.use();
        Setting chosen = setting == null ? null : Setting.parse(setting);
        ActiveLearningSettings settings = settings(chosen);
        // a run resumed goes on in the precision its rounds were started in, unless told otherwise
        Precision precision = precisionOption.useOr(ActiveLearningExperiment.recordedPrecision(output));
        settings = settings.withTraining(settings.training().toBuilder().precision(precision).build());
        PrintWriter err = spec.commandLine().getErr();
        if (model == null && chosen == Setting.FRENCH_FROM_GERMAN) {
            throw new XnerInputException("--setting french-from-german needs --model: the German model (bin/xner train "
                    + "--train-langs de --output runs/de, or experiment swiss-panx --keep-models de)");
        }
        ActiveLearningData sentences = data(chosen, err); // before the model: a bad file is found without loading it
        Path start = model != null ? ModelArgument.fetch(model, err).folder() : MultilingualBert.modelDir();
        String command = String.join(" ", spec.commandLine().getParseResult().originalArgs());

        ActiveLearningExperiment experiment = new ActiveLearningExperiment(sentences, start, settings,
                new PrintStream(System.err, true, StandardCharsets.UTF_8), ActiveLearningExperiment.Listener.NONE);
        ActiveLearningResults results = experiment.run(output, resume, keep(), command);
        print(results);
        return Xner.EXIT_OK;
    }

    /** The setting's sizes with the options' overrides. */
    ActiveLearningSettings settings(Setting chosen) {
        ActiveLearningSettings s = chosen == Setting.DUTCH ? ActiveLearningSettings.dutch()
                : chosen == Setting.FRENCH_FROM_GERMAN ? ActiveLearningSettings.frenchFromGerman()
                : ActiveLearningSettings.frenchFromGerman().withSetting("custom").withRounds(List.of(250, 500, 1000, 2000));
        if (rounds != null) {
            try {
                s = s.withRounds(rounds);
            } catch (IllegalArgumentException e) {
                throw new XnerInputException("--rounds: " + e.getMessage());
            }
        }
        if (strategies != null) {
            List<Strategy> list = new ArrayList<>();
            for (String name : strategies) list.add(Strategy.parse(name, "--strategies"));
            try {
                s = s.withStrategies(list);
            } catch (IllegalArgumentException e) {
                throw new XnerInputException("--strategies: " + e.getMessage());
            }
        }
        if (seed != null) s = s.withSeed(seed);
        s = s.withFirstRound(ActiveLearningSettings.FirstRound.parse(firstRound, "--first-round"));
        if (maxLength != null) s = s.withMaxLength(nonNegative("--max-length", maxLength));
        s = s.withCaps(nonNegative("--max-pool", maxPool), nonNegative("--max-validation", maxValidation),
                nonNegative("--max-test", maxTest));
        var recipe = s.training().toBuilder();
        if (epochs != null) recipe.epochs(positive("--epochs", epochs));
        if (batchSize != null) recipe.batchSize(positive("--batch-size", batchSize));
        return s.withTraining(recipe.build());
    }

    /** Pool, validation and test: the files given, or the setting's. */
    private ActiveLearningData data(Setting chosen, PrintWriter err) {
        boolean files = !pool.isEmpty() || !validation.isEmpty() || !test.isEmpty();
        if (files || chosen == null) {
            if (pool.isEmpty() || validation.isEmpty() || test.isEmpty()) {
                throw new XnerInputException("give --pool, --validation and --test together (or --setting french-from-german|dutch)");
            }
            return fromFiles(pool, validation, test, ColumnLayout.charset(encoding == null ? "UTF-8" : encoding, "--encoding"), err);
        }
        if (chosen == Setting.FRENCH_FROM_GERMAN) {
            Map<String, DatasetDict> corpus = data.load(List.of("fr"), err);
            DatasetDict fr = corpus.get("fr");
            String from = "swiss".equals(data.corpus) ? "Swiss PAN-X fr %s (corpus seed " + data.corpusSeed + ")" : "PAN-X fr %s";
            return new ActiveLearningData(String.format(from, "train"), fr.get("train"), String.format(from, "validation"),
                    fr.get("validation"), String.format(from, "test") + fr.note("test").map(n -> ", " + n).orElse(""),
                    fr.get("test"), LabelSet.PANX);
        }
        Path dir = data.dataDir.dataDir;
        if (dir == null) {
            throw new XnerInputException("--setting dutch reads <data-dir>/conll2002-nl/ned.{train,testa,testb}: give "
                    + "--data-dir (or XNER_DATA), or --pool, --validation and --test");
        }
        Path nl = dir.resolve("conll2002-nl");
        return fromFiles(List.of(nl.resolve("ned.train")), List.of(nl.resolve("ned.testa")), List.of(nl.resolve("ned.testb")),
                ColumnLayout.charset(encoding == null ? "latin-1" : encoding, "--encoding"), err);
    }

    /** Reads the files; the labels are the pool's (the annotation guide's types), in xner's order. */
    private static ActiveLearningData fromFiles(List<Path> poolFiles, List<Path> validationFiles, List<Path> testFiles,
            Charset charset, PrintWriter err) {
        CorpusFileConfig config = CorpusFileConfig.defaults().withEncoding(charset);
        CorpusFiles p = CorpusFiles.read(poolFiles, config, null, LabelMapping.NONE);
        CorpusFiles v = CorpusFiles.read(validationFiles, config, null, LabelMapping.NONE);
        CorpusFiles t = CorpusFiles.read(testFiles, config, null, LabelMapping.NONE);
        for (CorpusFiles f : List.of(p, v, t)) f.schemes().forEach(line -> err.println("xner: " + line));
        LabelSet labels = LabelSet.fromData(p.sentences());
        if (labels.entityTypes().isEmpty()) throw new XnerInputException("the pool has no entity: nothing to learn");
        err.println("xner: labels " + String.join(", ", labels.names()));
        err.flush();
        return new ActiveLearningData(names(poolFiles), p.dataset(labels, "the pool's"), names(validationFiles),
                v.dataset(labels, "the pool's"), names(testFiles), t.dataset(labels, "the pool's"), labels);
    }

    private static String names(List<Path> files) {
        return String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList());
    }

    Predicate<String> keep() {
        if (keepModels == null) return id -> false;
        if (keepModels.contains("*")) return id -> true;
        return keepModels::contains;
    }

    /** The curve, one row per round, and the target, on stdout. */
    private void print(ActiveLearningResults results) {
        PrintWriter out = spec.commandLine().getOut();
        var s = results.settings();
        out.println("test F1 by annotated sentences (— = not finished); random's seed " + s.seed());
        out.printf(Locale.ROOT, "%-10s", "annotated");
        for (Strategy strategy : s.strategies()) out.printf(Locale.ROOT, " %8s", strategy.wireName());
        out.println();
        for (int n : s.rounds()) {
            out.printf(Locale.ROOT, "%-10d", n);
            for (Strategy strategy : s.strategies()) {
                out.printf(Locale.ROOT, " %8s", results.f1(strategy, n).map(f -> String.format(Locale.ROOT, "%.4f", f)).orElse("—"));
            }
            out.println();
        }
        results.savings().forEach(saving -> out.println(saving.sentence()));
        out.println("finished " + results.results().size() + " of " + results.plan().size() + " rounds; report in "
                + output.resolve(ExperimentReport.MARKDOWN) + " and " + output.resolve(ExperimentReport.HTML));
        out.flush();
    }

    private static int positive(String option, int n) {
        if (n <= 0) throw new XnerInputException(option + ": must be > 0, was " + n);
        return n;
    }

    private static int nonNegative(String option, int n) {
        if (n < 0) throw new XnerInputException(option + ": must be >= 0, was " + n);
        return n;
    }
}
