package xner.experiment;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import xner.XnerInputException;
import xner.data.Dataset;
import xner.data.DatasetDict;
import xner.data.LabelSet;
import xner.data.Progress;
import xner.data.Sentence;
import xner.evaluate.ErrorAnalysis;
import xner.evaluate.Evaluation;
import xner.evaluate.ScoredTokens;
import xner.io.JsonOutput;
import xner.io.Sha256;
import xner.model.TokenClassifier;
import xner.tokenize.Example;
import xner.tokenize.LabelAligner;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;
import xner.train.EpochLog;
import xner.train.FineTuner;
import xner.train.FineTuning;
import xner.train.RunRecord;
import xner.train.TrainingConfig;
import xner.train.TrainingMemory;

/**
 * The chapter's experiments on the Swiss PAN-X corpus, resumable: fine-tune on German and transfer zero-shot,
 * the French learning curve, German + French, each language alone, all four together ({@link SubRun#plan}).
 * Each sub-run starts from the pretrained body with the training seed, validates on its training languages
 * after every epoch, and is scored on its test languages; its result is written the moment it ends, and the
 * report ({@link ExperimentReport}) is rewritten from every finished result in the folder. Run it again on the
 * same folder and finished sub-runs are skipped, a killed one resumes from its last epoch's checkpoint.
 *
 * <pre>
 *   SwissPanxExperiment e = new SwissPanxExperiment(corpus, 0, MultilingualBert.modelDir(),
 *           ExperimentSettings.chapter(), System.err, SwissPanxExperiment.Listener.NONE);
 *   ExperimentResults r = e.run(Path.of("runs/swiss"), EnumSet.allOf(SubRun.Group.class), id -> false, "experiment");
 * </pre>
 */
public final class SwissPanxExperiment {
    /** Analysis tables kept in the German sub-run's result. */
    static final int ANALYSIS_TOP = 10;

    private final Map<String, DatasetDict> corpus;
    private final long corpusSeed;
    private final Path body;
    private final ExperimentSettings settings;
    private final PrintStream progress;
    private final Listener listener;

    /** Told of each epoch's end (after its checkpoint): for progress displays, and for tests that kill a run. */
    public interface Listener {
        Listener NONE = (run, log) -> { };

        void epochEnded(SubRun run, EpochLog log);
    }

    /**
     * @param corpus     the Swiss corpus, language → splits (all four languages)
     * @param corpusSeed the seed it was sampled with, for the record
     * @param body       the pretrained body (Hugging Face layout, no classifier head)
     */
    public SwissPanxExperiment(Map<String, DatasetDict> corpus, long corpusSeed, Path body, ExperimentSettings settings,
            PrintStream progress, Listener listener) {
        for (String lang : SubRun.LANGS) {
            if (!corpus.containsKey(lang)) throw new XnerInputException("the experiment needs PAN-X in " + lang);
        }
        this.corpus = Map.copyOf(corpus);
        this.corpusSeed = corpusSeed;
        this.body = body;
        this.settings = settings;
        this.progress = progress;
        this.listener = listener;
    }

    /**
     * Runs the sub-runs of the {@code selected} groups that have not finished, in the chapter's order, then
     * writes the report.
     *
     * @param keepModel whether a finished sub-run's model folder is kept (by sub-run id); checkpoints never are
     * @param command   the command line, for the record
     * @return the results of every finished sub-run of the plan in {@code output}
     */
    /** The precision the parts already started in {@code output} were trained in, or empty when none has started. */
    public static Optional<xner.model.Precision> recordedPrecision(Path output) throws IOException {
        return RunFolders.recordedPrecision(output);
    }

    public ExperimentResults run(Path output, Set<SubRun.Group> selected, Predicate<String> keepModel, String command)
            throws IOException {
        Files.createDirectories(output);
        RunFolders folders = new RunFolders(output);
        List<Path> bodyFiles = new ArrayList<>();
        for (String f : List.of("config.json", "model.safetensors")) {
            if (Files.isRegularFile(body.resolve(f))) bodyFiles.add(body.resolve(f));
        }
        RunRecord provenance = RunRecord.capture(command, bodyFiles, settings.training().seed(), hyperparameters());
        Map<String, String> bodyHashes = new LinkedHashMap<>();
        provenance.inputs().forEach((file, sha) -> bodyHashes.put(Path.of(file).getFileName().toString(), sha));

        List<SubRun> plan = SubRun.plan(settings);
        Map<String, Planned> planned = new LinkedHashMap<>();
        for (SubRun run : plan) planned.put(run.id(), prepare(run, bodyHashes));
        Map<String, SubRunResult> results = new LinkedHashMap<>();
        for (SubRun run : plan) {
            // results of the parts not selected this time are reported too, when their spec matches
            Optional<SubRunResult> done = selected.contains(run.group())
                    ? folders.finished(run.id(), planned.get(run.id()).spec)
                    : finishedQuietly(folders, run, planned.get(run.id()).spec);
            done.ifPresent(r -> results.put(run.id(), r));
        }
        printPlan(plan, planned, selected, results, folders);

        try (Tokenizer tokenizer = Tokenizers.load(body)) {
            for (SubRun run : plan) {
                if (!selected.contains(run.group())) continue;
                if (results.containsKey(run.id())) {
                    folders.tidy(run.id(), keepModel.test(run.id()));
                    continue;
                }
                SubRunResult result = execute(run, planned.get(run.id()), tokenizer, folders,
                        new SubRunResult.FinishedBy(provenance.gitCommit(), provenance.command()));
                folders.finish(result, keepModel.test(run.id()));
                results.put(run.id(), result);
                progress.printf("xner: [%s] done in %s: test F1 %s%n", run.id(), Progress.clock(result.wallSeconds()),
                        describe(result));
                ExperimentReport.write(output, results(provenance, bodyHashes, plan, results));
            }
        }
        ExperimentResults all = results(provenance, bodyHashes, plan, results);
        ExperimentReport.write(output, all);
        return all;
    }

    private Optional<SubRunResult> finishedQuietly(RunFolders folders, SubRun run, JsonObject spec) {
        try {
            return folders.finished(run.id(), spec);
        } catch (XnerInputException e) {
            progress.println("xner: [" + run.id() + "] not in the report: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A sub-run with its data chosen and its spec written down. */
    private record Planned(Dataset train, Dataset validation, Map<String, Dataset> test, int steps, JsonObject spec) {}

    private Planned prepare(SubRun run, Map<String, String> bodyHashes) {
        Dataset train = run.trainingSet(corpus, settings);
        Dataset validation = run.validationSet(corpus, settings);
        Map<String, Dataset> test = new LinkedHashMap<>();
        for (String lang : run.testLangs()) test.put(lang, SubRun.testSet(corpus, lang, settings));
        int steps = run.steps(train.size(), settings);

        JsonObject spec = new JsonObject();
        spec.addProperty("id", run.id());
        spec.add("train_langs", JsonOutput.PRETTY.toJsonTree(run.trainLangs()));
        spec.addProperty("train_sentences", train.size());
        spec.addProperty("train_sha256", fingerprint(train));
        spec.addProperty("validation_sentences", validation.size());
        spec.addProperty("validation_sha256", fingerprint(validation));
        Map<String, Object> tests = new LinkedHashMap<>();
        test.forEach((lang, data) -> tests.put(lang, Map.of("sentences", data.size(), "sha256", fingerprint(data))));
        spec.add("test", JsonOutput.PRETTY.toJsonTree(tests));
        spec.add("training", JsonOutput.PRETTY.toJsonTree(recipe(run).asMap()));
        spec.addProperty("corpus_seed", corpusSeed);
        spec.addProperty("body", body.getFileName().toString());
        spec.add("body_sha256", JsonOutput.PRETTY.toJsonTree(bodyHashes));
        return new Planned(train, validation, test, steps, spec);
    }

    private TrainingConfig recipe(SubRun run) {
        return settings.training().withEpochs(run.epochs());
    }

    private SubRunResult execute(SubRun run, Planned p, Tokenizer tokenizer, RunFolders folders, SubRunResult.FinishedBy finishedBy)
            throws IOException {
        long started = System.nanoTime();
        folders.start(run.id(), p.spec);
        int resumedFrom = folders.epochsDone(run.id());
        progress.printf("xner: [%s] %s: training on %d sentences (%s), validating on %d, %d epochs, %d steps%n",
                run.id(), resumedFrom > 0 ? "resuming after epoch " + resumedFrom : "starting", p.train.size(),
                String.join("+", run.trainLangs()), p.validation.size(), run.epochs(), p.steps);
        progress.flush();

        LabelAligner aligner = new LabelAligner(LabelSet.PANX);
        Path modelDir = folders.modelDir(run.id());
        TrainingConfig recipe = recipe(run);
        FineTuning fineTuning = new FineTuning(p.train, p.validation, LabelSet.PANX, body, recipe,
                Map.of("experiment", "swiss-panx", "sub_run", run.id(), "train_langs", run.trainLangs(),
                        "corpus", "swiss", "corpus_seed", corpusSeed), TrainingMemory.machineDefault());
        FineTuner.Result trained = fineTuning.run(tokenizer, modelDir, resumedFrom > 0, finishedBy.command(), progress,
                progress::println, log -> listener.epochEnded(run, log));

        long evaluating = System.nanoTime();
        Map<String, SubRunResult.LanguageScore> scores = new LinkedHashMap<>();
        SubRunResult.Analysis analysis = null;
        try (TokenClassifier model = TokenClassifier.load(modelDir)) {
            for (Map.Entry<String, Dataset> e : p.test.entrySet()) {
                Evaluation ev = Evaluation.run(model, Example.encode(e.getValue(), tokenizer, aligner),
                        recipe.evalBatchSize(), tokenizer.padId());
                String note = corpus.get(e.getKey()).note("test").orElse(null);
                scores.put(e.getKey(), SubRunResult.LanguageScore.of(ev.scores(), ev.loss(), e.getValue().size(), note));
            }
            if (run.group() == SubRun.Group.DE) {
                // the chapter's error analysis of the German model, on German validation
                List<Example> validation = Example.encode(p.validation, tokenizer, aligner);
                ErrorAnalysis errors = new ErrorAnalysis(ScoredTokens.run(model, validation, recipe.evalBatchSize(),
                        tokenizer.padId()).sequenceLosses(tokenizer::idToToken), LabelSet.PANX);
                analysis = new SubRunResult.Analysis("de validation", errors.confusion(),
                        errors.byToken().stream().limit(ANALYSIS_TOP).toList(), errors.byLabel());
            }
        }
        long ended = System.nanoTime();
        double trainingSeconds = trained.epochs().stream().mapToDouble(EpochLog::seconds).sum();
        return new SubRunResult(run.id(), run.group().label(), run.trainLangs(), p.train.size(), p.validation.size(),
                p.steps, trained.epochs(), scores, (ended - started) / 1e9, trainingSeconds, (ended - evaluating) / 1e9,
                resumedFrom, Instant.now().toString(), finishedBy, analysis, p.spec);
    }

    private Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", "swiss-panx");
        m.put("body", body.getFileName().toString());
        m.put("corpus", "swiss");
        m.put("corpus_seed", corpusSeed);
        m.put("training_seed", settings.training().seed());
        m.put("quick", settings.quick());
        m.put("epochs", settings.epochs());
        m.put("curve_epochs", settings.curveEpochs());
        m.put("curve_sizes", settings.curveSizes());
        m.put("max_train_sentences", settings.maxTrain());
        m.put("max_validation_sentences_per_language", settings.maxValidation());
        m.put("max_test_sentences_per_language", settings.maxTest());
        Map<String, Object> training = new LinkedHashMap<>(settings.training().asMap());
        training.remove("num_train_epochs"); // per sub-run: epochs / curve_epochs
        m.put("training", training);
        return m;
    }

    private ExperimentResults results(RunRecord provenance, Map<String, String> bodyHashes, List<SubRun> plan,
            Map<String, SubRunResult> results) {
        Map<String, Map<String, Integer>> sizes = new LinkedHashMap<>();
        Map<String, Map<String, String>> notes = new LinkedHashMap<>();
        for (String lang : SubRun.LANGS) {
            DatasetDict dict = corpus.get(lang);
            Map<String, Integer> s = new LinkedHashMap<>();
            for (String split : dict.splits()) s.put(split, dict.get(split).size());
            sizes.put(lang, s);
            if (!dict.notes().isEmpty()) notes.put(lang, dict.notes());
        }
        Map<String, SubRunResult> inPlanOrder = new LinkedHashMap<>();
        for (SubRun run : plan) if (results.containsKey(run.id())) inPlanOrder.put(run.id(), results.get(run.id()));
        return new ExperimentResults(settings, provenance, body.getFileName().toString(), corpusSeed, sizes, notes,
                plan, inPlanOrder);
    }

    private void printPlan(List<SubRun> plan, Map<String, Planned> planned, Set<SubRun.Group> selected,
            Map<String, SubRunResult> results, RunFolders folders) throws IOException {
        progress.printf("xner: swiss-panx plan (%s)%n", settings.quick() ? "--quick" : "chapter sizes");
        progress.printf("  %-10s %-12s %9s %7s %7s  %s%n", "sub-run", "trained on", "sentences", "epochs", "steps", "status");
        for (SubRun run : plan) {
            Planned p = planned.get(run.id());
            String status;
            if (results.containsKey(run.id())) status = "finished, skipped";
            else if (!selected.contains(run.group())) status = "not selected";
            else if (folders.epochsDone(run.id()) > 0) status = "resumes after epoch " + folders.epochsDone(run.id());
            else status = "to run";
            progress.printf("  %-10s %-12s %9d %7d %7d  %s%n", run.id(), String.join("+", run.trainLangs()),
                    p.train.size(), run.epochs(), p.steps, status);
        }
        progress.flush();
    }

    private static String describe(SubRunResult r) {
        List<String> parts = new ArrayList<>();
        r.test().forEach((lang, s) -> parts.add(String.format("%s %.4f", lang, s.f1())));
        return String.join(", ", parts);
    }

    /** SHA-256 of the sentences' tokens and tags: the same data gives the same fingerprint on any machine. */
    static String fingerprint(Dataset data) {
        MessageDigest digest = Sha256.digest();
        for (Sentence s : data) {
            digest.update(String.join(" ", s.words()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\t');
            digest.update(String.join(" ", s.tags()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return Sha256.hex(digest);
    }
}
