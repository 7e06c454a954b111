package xner.experiment;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import xner.XnerInputException;
import xner.data.Dataset;
import xner.data.InputRecord;
import xner.data.Progress;
import xner.data.RecordReader;
import xner.data.Sentence;
import xner.evaluate.Evaluation;
import xner.infer.TagPipeline;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.io.StrictJson;
import xner.model.BertConfig;
import xner.model.ModelDirectory;
import xner.model.TokenClassifier;
import xner.model.weights.WeightReader;
import xner.select.Candidate;
import xner.select.PoolSelector;
import xner.select.Strategy;
import xner.tokenize.Example;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.train.EpochLog;
import xner.train.FineTuner;
import xner.train.FineTuning;
import xner.train.RunRecord;
import xner.train.TrainingMemory;

/**
 * Active learning simulated with gold labels: what choosing sentences by the model's uncertainty saves an annotator.
 * For each strategy, round k chooses sentences of the pool not chosen yet until {@code rounds[k]} are annotated
 * ({@link PoolSelector}, asking the model of round k-1; round 1 asks the starting model, or draws at random, see
 * {@link ActiveLearningSettings.FirstRound}); the chosen keep their gold tags (the simulated annotator); the
 * <em>starting</em> model is fine-tuned on all sentences chosen so far with the recipe (the chapter's
 * {@code train_on_subset}, as the swiss-panx learning curve does), and scored on the test set.
 *
 * <p>Each (strategy, round) is a sub-run with a folder under {@code runs/}: {@code spec.json} (what it is),
 * {@code selection.json} (what it chose, written before it trains), {@code model/} (while it is needed: until the
 * next round of its strategy has chosen) and {@code result.json}. Run again with {@code resume} on the same folder and
 * finished sub-runs are skipped, a stopped one goes on from its selection and its last epoch's checkpoint.
 *
 * <pre>
 *   ActiveLearningExperiment e = new ActiveLearningExperiment(data, Path.of("runs/de"),
 *           ActiveLearningSettings.frenchFromGerman(), System.err, ActiveLearningExperiment.Listener.NONE);
 *   ActiveLearningResults r = e.run(Path.of("runs/al-fr"), true, id -> false, "experiment active-learning ...");
 * </pre>
 */
public final class ActiveLearningExperiment {
    public static final String EXPERIMENT = "active-learning";
    static final String SELECTION = "selection.json";
    /** The sub-run that scores the starting model before any annotation. */
    static final String START = "start";
    /** Pool sentences tagged together while choosing, as {@code select --chunk}'s default. */
    private static final int CHUNK = 512;

    private final ActiveLearningData data;
    private final Path start;
    private final ActiveLearningSettings settings;
    private final PrintStream progress;
    private final Listener listener;

    /** Told of each selection and each epoch's end: for progress displays, and for tests that stop a run. */
    public interface Listener {
        Listener NONE = new Listener() { };

        default void selected(SelectionRound run, RoundSelection selection) { }

        default void epochEnded(SelectionRound run, EpochLog log) { }
    }

    /**
     * @param data  pool, validation and test, uncapped: the settings' caps are applied here
     * @param start the starting model: a fine-tuned token classifier (its head kept when its labels are the pool's)
     *              or a pretrained body (a fresh head, seeded by the recipe's seed, as every round's fine-tuning draws it)
     */
    public ActiveLearningExperiment(ActiveLearningData data, Path start, ActiveLearningSettings settings,
            PrintStream progress, Listener listener) {
        this.data = data.capped(settings.maxPool(), settings.maxValidation(), settings.maxTest());
        this.start = start;
        this.settings = settings;
        this.progress = progress;
        this.listener = listener;
    }

    /** The precision the sub-runs already started in {@code output} were trained in, or empty when none has started. */
    public static Optional<xner.model.Precision> recordedPrecision(Path output) throws IOException {
        return RunFolders.recordedPrecision(output);
    }

    /**
     * Runs the sub-runs that have not finished, round by round, writing the report after each.
     *
     * @param resume    go on in an {@code output} that already holds sub-runs; without it such a folder is refused
     * @param keepModel whether a round's model folder is kept (by sub-run id) once the next round has chosen
     * @param command   the command line, for the record
     */
    public ActiveLearningResults run(Path output, boolean resume, Predicate<String> keepModel, String command)
            throws IOException {
        RunFolders folders = new RunFolders(output);
        refuseToStartOverARun(output, resume);
        Files.createDirectories(output);
        List<Path> startFiles = new ArrayList<>();
        for (String f : List.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS)) {
            if (Files.isRegularFile(start.resolve(f))) startFiles.add(start.resolve(f));
        }
        RunRecord provenance = RunRecord.capture(command, startFiles, settings.training().seed(), hyperparameters());
        Map<String, String> startHashes = new LinkedHashMap<>();
        provenance.inputs().forEach((file, sha) -> startHashes.put(Path.of(file).getFileName().toString(), sha));
        boolean randomStart = firstRoundIsRandom();
        String firstRound = randomStart
                ? "a random draw (seed " + settings.seed() + ") for every strategy: the starting model's head "
                        + (settings.firstRound() == ActiveLearningSettings.FirstRound.RANDOM ? "was not asked (--first-round random)"
                        : "is not trained for the pool's labels, so its uncertainty would be noise")
                : "each strategy asks the starting model";

        List<SelectionRound> plan = SelectionRound.plan(settings);
        Map<String, JsonObject> specs = new LinkedHashMap<>();
        for (SelectionRound run : plan) specs.put(run.id(), spec(run, randomStart, startHashes));
        Map<String, RoundResult> results = new LinkedHashMap<>();
        for (SelectionRound run : plan) {
            folders.finished(run.id(), specs.get(run.id()), RoundResult.class, RoundResult::spec)
                    .ifPresent(r -> results.put(run.id(), r));
        }
        printPlan(plan, results, folders);

        try (Tokenizer tokenizer = Tokenizers.load(start, settings.maxLength())) {
            List<Example> test = Example.encode(data.test(), tokenizer, new LabelAligner(data.labels()));
            JsonObject startSpec = startSpec(startHashes);
            Optional<RoundResult> done = folders.finished(START, startSpec, RoundResult.class, RoundResult::spec);
            RoundResult startScore = done.isPresent() ? done.get() : scoreStart(startSpec, tokenizer, test, folders,
                    new SubRunResult.FinishedBy(provenance.gitCommit(), provenance.command()));
            Facts facts = new Facts(provenance, firstRound, startScore);
            for (SelectionRound run : plan) {
                if (results.containsKey(run.id())) {
                    release(run, folders, plan, keepModel);
                    continue;
                }
                RoundResult result = execute(run, specs.get(run.id()), randomStart && run.round() == 1, tokenizer, test,
                        folders, keepModel, new SubRunResult.FinishedBy(provenance.gitCommit(), provenance.command()));
                results.put(run.id(), result);
                release(run, folders, plan, keepModel);
                progress.printf(java.util.Locale.ROOT, "xner: [%s] done in %s: %,d sentences annotated, test F1 %.4f%n",
                        run.id(), Progress.clock(result.wallSeconds()), result.annotated(), result.f1());
                ActiveLearningReport.write(output, results(facts, plan, results));
            }
            ActiveLearningResults all = results(facts, plan, results);
            ActiveLearningReport.write(output, all);
            return all;
        }
    }

    /** The provenance, the first round's description and the starting model's score, once per run. */
    private record Facts(RunRecord provenance, String firstRound, RoundResult start) {}

    /**
     * The starting model on the test set before any annotation, as every round's fine-tuning starts it (its own head,
     * or a fresh one drawn with the seed): the zero-shot line of the French setting, each curve's point at 0.
     */
    private RoundResult scoreStart(JsonObject spec, Tokenizer tokenizer, List<Example> test, RunFolders folders,
            SubRunResult.FinishedBy finishedBy) throws IOException {
        long started = System.nanoTime();
        folders.start(START, spec);
        SubRunResult.LanguageScore score;
        try (TokenClassifier model = TokenClassifier.fromPretrained(start, data.labels(), settings.training().seed())) {
            Evaluation ev = Evaluation.run(model, test, settings.training().evalBatchSize(), tokenizer.padId());
            score = SubRunResult.LanguageScore.of(ev.scores(), ev.loss(), data.test().size(), null);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        RoundResult result = new RoundResult(START, "none", 0, 0, 0, "nothing: the starting model as it is", "none", List.of(),
                score, 0, 0, seconds, seconds, 0, Instant.now().toString(), finishedBy, spec);
        folders.finish(START, result, false);
        progress.printf(java.util.Locale.ROOT, "xner: [%s] %s before any annotation: test F1 %.4f%n", START,
                start.getFileName(), result.f1());
        return result;
    }

    private JsonObject startSpec(Map<String, String> startHashes) {
        JsonObject spec = new JsonObject();
        spec.addProperty("id", START);
        spec.addProperty("experiment", EXPERIMENT);
        spec.add("test", JsonOutput.PRETTY.toJsonTree(Map.of("sentences", data.test().size(), "sha256",
                SwissPanxExperiment.fingerprint(data.test()))));
        spec.add("labels", JsonOutput.PRETTY.toJsonTree(data.labels().names()));
        spec.addProperty("start_model", start.getFileName().toString());
        spec.add("start_model_sha256", JsonOutput.PRETTY.toJsonTree(startHashes));
        spec.addProperty("head_seed", settings.training().seed());
        // scores differ between fp32 and bf16; and a resumed run reads its precision from here as from the rounds
        spec.add("training", JsonOutput.PRETTY.toJsonTree(Map.of("precision", settings.training().asMap().get("precision"))));
        spec.addProperty("max_length", settings.maxLength());
        return spec;
    }

    private void refuseToStartOverARun(Path output, boolean resume) throws IOException {
        Path runs = output.resolve(RunFolders.RUNS);
        if (resume || !Files.isDirectory(runs)) return;
        try (var dirs = Files.list(runs)) {
            if (dirs.findAny().isPresent()) {
                throw new XnerInputException(output + ": already holds sub-runs (" + runs + "): --resume goes on from the "
                        + "first unfinished one; another --output starts afresh");
            }
        }
    }

    /** Whether round 1 draws at random instead of asking the starting model (see {@link ActiveLearningSettings.FirstRound}). */
    boolean firstRoundIsRandom() {
        return switch (settings.firstRound()) {
            case RANDOM -> true;
            case STRATEGY -> false;
            case AUTO -> !headFor(start, data.labels().names());
        };
    }

    /** Whether {@code model} is a token classifier with a trained head for exactly {@code labels}, in that order. */
    static boolean headFor(Path model, List<String> labels) {
        if (!ModelDirectory.readConfig(model).id2label().equals(labels)) return false;
        try (WeightReader weights = ModelDirectory.openWeights(model)) {
            return weights.contains("classifier.weight");
        }
    }

    /** One sub-run: choose (or read what an earlier attempt chose), fine-tune, score. */
    private RoundResult execute(SelectionRound run, JsonObject spec, boolean randomStart, Tokenizer tokenizer,
            List<Example> test, RunFolders folders, Predicate<String> keepModel, SubRunResult.FinishedBy finishedBy)
            throws IOException {
        long started = System.nanoTime();
        folders.start(run.id(), spec);
        List<Integer> before = run.previous() == null ? List.of() : readSelection(run.previous(), folders).orElseThrow(
                () -> new XnerInputException(folders.runDir(run.previous().id()).resolve(SELECTION) + " is missing: "
                        + run.id() + " goes on from it; delete " + folders.runDir(run.previous().id()) + " to run it again"))
                .chosen();
        Optional<RoundSelection> earlier = readSelection(run, folders);
        RoundSelection selection;
        if (earlier.isPresent()) {
            selection = earlier.get();
            checkFollows(selection, run, before, folders);
            progress.printf("xner: [%s] %,d sentences chosen by an earlier attempt (%s)%n", run.id(), selection.added().size(),
                    selection.chosenBy());
        } else {
            selection = choose(run, before, randomStart, folders);
            Durable.writeString(folders.runDir(run.id()).resolve(SELECTION), JsonOutput.PRETTY.toJson(selection));
            progress.printf("xner: [%s] chose %,d sentences in %s (%s): %s%n", run.id(), selection.added().size(),
                    Progress.clock(selection.seconds()), selection.chosenBy(), selection.summary());
        }
        listener.selected(run, selection);
        // the previous round's model has chosen: it is no longer needed
        if (run.previous() != null) folders.tidy(run.previous().id(), keepModel.test(run.previous().id()));
        double selectionSeconds = earlier.isPresent() ? 0 : selection.seconds();

        int resumedFrom = folders.epochsDone(run.id());
        Dataset train = data.pool().select(selection.chosen().stream().mapToInt(Integer::intValue).toArray());
        progress.printf("xner: [%s] %s: fine-tuning %s on %,d annotated sentences, validating on %,d, %d epochs%n", run.id(),
                resumedFrom > 0 ? "resuming after epoch " + resumedFrom : "starting", start.getFileName(), train.size(),
                data.validation().size(), settings.training().epochs());
        progress.flush();
        Path modelDir = folders.modelDir(run.id());
        FineTuning fineTuning = new FineTuning(train, data.validation(), data.labels(), start, settings.training(),
                description(run), TrainingMemory.machineDefault());
        FineTuner.Result trained = fineTuning.run(tokenizer, modelDir, resumedFrom > 0, finishedBy.command(), progress,
                progress::println, log -> listener.epochEnded(run, log));
        dropInheritedTemperature(modelDir);

        long evaluating = System.nanoTime();
        SubRunResult.LanguageScore score;
        try (TokenClassifier model = TokenClassifier.load(modelDir)) {
            Evaluation ev = Evaluation.run(model, test, settings.training().evalBatchSize(), tokenizer.padId());
            score = SubRunResult.LanguageScore.of(ev.scores(), ev.loss(), data.test().size(), null);
        }
        long ended = System.nanoTime();
        double trainingSeconds = trained.epochs().stream().mapToDouble(EpochLog::seconds).sum();
        RoundResult result = new RoundResult(run.id(), run.strategy().wireName(), run.round(), run.annotated(),
                selection.added().size(), selection.chosenBy(), selection.sha256(), trained.epochs(), score, selectionSeconds,
                trainingSeconds, (ended - evaluating) / 1e9, (ended - started) / 1e9, resumedFrom, Instant.now().toString(),
                finishedBy, spec);
        // the model stays until the next round of this strategy has chosen with it (release drops it after the last)
        folders.finish(run.id(), result, true);
        return result;
    }

    /**
     * Removes the calibration temperature a round's model inherits in its {@code config.json} from a calibrated starting
     * model: it was fitted to the starting model's logits, not to this model's, and would bend the probabilities the next
     * round's uncertainty is read from. The starting model keeps its own in round 1; tags never depend on it.
     */
    static void dropInheritedTemperature(Path modelDir) throws IOException {
        BertConfig config = ModelDirectory.readConfig(modelDir);
        if (!config.extra().containsKey(BertConfig.TEMPERATURE_KEY)) return;
        Map<String, com.google.gson.JsonElement> extra = new java.util.TreeMap<>(config.extra());
        extra.remove(BertConfig.TEMPERATURE_KEY);
        ModelDirectory.rewriteConfig(modelDir, config.toBuilder().extra(extra).build());
    }

    /** Drops a finished round's model once nothing needs it: its strategy's next round has chosen, or there is none. */
    private void release(SelectionRound run, RunFolders folders, List<SelectionRound> plan, Predicate<String> keepModel)
            throws IOException {
        Optional<SelectionRound> next = plan.stream().filter(r -> r.previous() != null && r.previous().id().equals(run.id()))
                .findFirst();
        if (next.isEmpty() || Files.isRegularFile(folders.runDir(next.get().id()).resolve(SELECTION))) {
            folders.tidy(run.id(), keepModel.test(run.id()));
        }
    }

    /** Asks the previous round's model (or the starting model) for this round's sentences. */
    private RoundSelection choose(SelectionRound run, List<Integer> before, boolean randomStart, RunFolders folders)
            throws IOException {
        long started = System.nanoTime();
        Strategy strategy = randomStart ? Strategy.RANDOM : run.strategy();
        Set<String> annotated = new HashSet<>();
        for (int i : before) annotated.add(textOf(data.pool().get(i)));
        TagPipeline.Options options = TagPipeline.Options.DEFAULTS.withMaxLength(settings.maxLength());
        String chosenBy;
        TagPipeline pipeline;
        if (run.previous() == null) {
            // the starting model as every round's fine-tuning starts from it: its own head, or a fresh one drawn with the seed
            pipeline = TagPipeline.create(start, TokenClassifier.fromPretrained(start, data.labels(), settings.training().seed()),
                    options);
            chosenBy = randomStart ? "random (seed " + settings.seed() + "), cold start" : strategy.wireName() + ", by the starting model";
        } else {
            Path model = folders.modelDir(run.previous().id());
            if (!Files.isRegularFile(model.resolve(ModelDirectory.CONFIG))) {
                throw new XnerInputException(model + " is gone, but " + run.id() + " must choose with it; delete "
                        + folders.runDir(run.previous().id()) + " to train it again");
            }
            pipeline = TagPipeline.load(model, options);
            chosenBy = strategy.wireName() + (strategy == Strategy.RANDOM ? " (seed " + settings.seed() + ")"
                    : ", by " + run.previous().id() + "'s model");
        }
        PoolSelector.Selection selection;
        try (pipeline) {
            PrintWriter err = new PrintWriter(new OutputStreamWriter(progress, StandardCharsets.UTF_8), true);
            PoolSelector selector = new PoolSelector(pipeline, strategy, run.newlyAnnotated(), settings.seed(), annotated,
                    CHUNK, err);
            selection = selector.select(new PoolRecords(data.pool()), -1);
        }
        if (selection.chosen().size() < run.newlyAnnotated()) {
            throw new XnerInputException(run.id() + ": " + run.newlyAnnotated() + " sentences to choose, but the pool ("
                    + data.pool().size() + " sentences) has only " + selection.chosen().size() + " more distinct ones left");
        }
        List<Integer> chosen = new ArrayList<>(before);
        for (Candidate c : selection.chosen()) chosen.add(Math.toIntExact(c.ordinal()));
        List<Candidate> added = selection.chosen();
        return new RoundSelection(run.id(), chosen, before.size(), chosenBy, selection.summary().toString(),
                added.get(0).score(), added.get(added.size() - 1).score(), (System.nanoTime() - started) / 1e9,
                fingerprint(chosen));
    }

    /** A selection read back must extend the previous round's by this round's count, within the pool. */
    private void checkFollows(RoundSelection s, SelectionRound run, List<Integer> before, RunFolders folders) {
        Path file = folders.runDir(run.id()).resolve(SELECTION);
        boolean follows = s.id().equals(run.id()) && s.previously() == before.size() && s.chosen().size() == run.annotated()
                && s.chosen().subList(0, before.size()).equals(before)
                && s.chosen().stream().allMatch(i -> i < data.pool().size())
                && s.sha256().equals(fingerprint(s.chosen()));
        if (!follows) {
            throw new XnerInputException(file + ": does not follow the previous round's selection in this pool; delete "
                    + folders.runDir(run.id()) + " to choose again");
        }
    }

    private Optional<RoundSelection> readSelection(SelectionRound run, RunFolders folders) throws IOException {
        Path file = folders.runDir(run.id()).resolve(SELECTION);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JsonOutput.PRETTY.fromJson(StrictJson.readObject(file), RoundSelection.class));
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new XnerInputException(file + ": not a selection (" + e.getMessage() + "); delete " + folders.runDir(run.id())
                    + " to choose again");
        }
    }

    /** The pool as records to choose from, one a sentence in pool order (so a candidate's ordinal is its pool index), without gold tags. */
    private static final class PoolRecords implements RecordReader {
        private final Dataset pool;
        private int next;

        PoolRecords(Dataset pool) {
            this.pool = pool;
        }

        @Override
        public InputRecord next() {
            if (next >= pool.size()) return null;
            Sentence s = pool.get(next++);
            return new InputRecord.Words(s.source(), s.words(), null); // the model never sees the annotator's answers
        }

        @Override
        public int lineNumber() {
            return next; // counts sentences: the progress line reads it as its count
        }

        @Override
        public long bytesRead() {
            return 0;
        }
    }

    /** A sentence's text as the selector compares texts (its words joined by single spaces). */
    private static String textOf(Sentence s) {
        return PoolSelector.textOf(new InputRecord.Words(s.source(), s.words(), null));
    }

    /** SHA-256 of the chosen sentences' words and gold tags, in order. */
    private String fingerprint(List<Integer> chosen) {
        List<Sentence> sentences = new ArrayList<>();
        for (int i : chosen) sentences.add(data.pool().get(i));
        return SwissPanxExperiment.fingerprint(Dataset.of(sentences, data.pool().labels()));
    }

    /** What a sub-run is: the data, the start, the recipe, the strategy and where it sits among the rounds. */
    private JsonObject spec(SelectionRound run, boolean randomStart, Map<String, String> startHashes) {
        JsonObject spec = new JsonObject();
        spec.addProperty("id", run.id());
        spec.addProperty("experiment", EXPERIMENT);
        spec.addProperty("setting", settings.setting());
        spec.addProperty("strategy", run.strategy().wireName());
        spec.addProperty("round", run.round());
        spec.addProperty("annotated", run.annotated());
        spec.addProperty("previous", run.previous() == null ? "none" : run.previous().id());
        spec.addProperty("first_round", randomStart ? "random" : "strategy");
        spec.addProperty("seed", settings.seed());
        spec.add("pool", JsonOutput.PRETTY.toJsonTree(Map.of("sentences", data.pool().size(), "sha256",
                SwissPanxExperiment.fingerprint(data.pool()))));
        spec.add("validation", JsonOutput.PRETTY.toJsonTree(Map.of("sentences", data.validation().size(), "sha256",
                SwissPanxExperiment.fingerprint(data.validation()))));
        spec.add("test", JsonOutput.PRETTY.toJsonTree(Map.of("sentences", data.test().size(), "sha256",
                SwissPanxExperiment.fingerprint(data.test()))));
        spec.add("labels", JsonOutput.PRETTY.toJsonTree(data.labels().names()));
        spec.addProperty("start_model", start.getFileName().toString());
        spec.add("start_model_sha256", JsonOutput.PRETTY.toJsonTree(startHashes));
        spec.add("training", JsonOutput.PRETTY.toJsonTree(settings.training().asMap()));
        spec.addProperty("max_length", settings.maxLength());
        return spec;
    }

    /** Facts for each round's {@code xner-run.json}. */
    private Map<String, Object> description(SelectionRound run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", EXPERIMENT);
        m.put("setting", settings.setting());
        m.put("sub_run", run.id());
        m.put("strategy", run.strategy().wireName());
        m.put("annotated", run.annotated());
        m.put("pool", data.poolName());
        m.put("max_length", settings.maxLength() > 0 ? settings.maxLength() : "the tokenizer's");
        return m;
    }

    private Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", EXPERIMENT);
        m.put("setting", settings.setting());
        m.put("start_model", start.getFileName().toString());
        m.put("strategies", settings.strategies().stream().map(Strategy::wireName).toList());
        m.put("rounds", settings.rounds());
        m.put("random_seed", settings.seed());
        m.put("first_round", settings.firstRound().wireName());
        m.put("max_length", settings.maxLength());
        m.put("max_pool_sentences", settings.maxPool());
        m.put("max_validation_sentences", settings.maxValidation());
        m.put("max_test_sentences", settings.maxTest());
        m.put("target", Map.of("compare_at", settings.compareAt(), "budget", settings.budget()));
        m.put("training", settings.training().asMap());
        return m;
    }

    private ActiveLearningResults results(Facts facts, List<SelectionRound> plan, Map<String, RoundResult> results) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("pool", data.pool().size());
        sizes.put("validation", data.validation().size());
        sizes.put("test", data.test().size());
        Map<String, String> names = new LinkedHashMap<>();
        names.put("pool", data.poolName());
        names.put("validation", data.validationName());
        names.put("test", data.testName());
        Map<String, RoundResult> inPlanOrder = new LinkedHashMap<>();
        for (SelectionRound run : plan) if (results.containsKey(run.id())) inPlanOrder.put(run.id(), results.get(run.id()));
        return new ActiveLearningResults(settings, facts.provenance(), start.getFileName().toString(), facts.firstRound(),
                facts.start(), sizes, names, data.labels().names(), plan, inPlanOrder);
    }

    private void printPlan(List<SelectionRound> plan, Map<String, RoundResult> results, RunFolders folders) throws IOException {
        progress.printf("xner: active-learning plan (%s): pool %,d sentences, validation %,d, test %,d; %s fine-tuned each "
                        + "round%n", settings.setting(), data.pool().size(), data.validation().size(), data.test().size(),
                start.getFileName());
        progress.printf("  %-16s %9s %7s  %s%n", "sub-run", "annotated", "new", "status");
        for (SelectionRound run : plan) {
            String status;
            if (results.containsKey(run.id())) status = "finished, skipped";
            else if (folders.epochsDone(run.id()) > 0) status = "resumes after epoch " + folders.epochsDone(run.id());
            else if (Files.isRegularFile(folders.runDir(run.id()).resolve(SELECTION))) status = "chosen, trains";
            else status = "to run";
            progress.printf("  %-16s %9d %7d  %s%n", run.id(), run.annotated(), run.newlyAnnotated(), status);
        }
        progress.flush();
    }
}
