package xner.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import xner.ExitGate;
import xner.XnerInputException;
import xner.data.NumpyGenerator;
import xner.data.Progress;
import xner.evaluate.Evaluation;
import xner.io.Durable;
import xner.io.JsonOutput;
import xner.io.StrictJson;
import xner.model.ModelDirectory;
import xner.model.Precision;
import xner.model.TokenClassifier;
import xner.tokenize.Batch;
import xner.tokenize.Example;

/**
 * Fine-tunes a token classifier with the chapter's recipe ({@link TrainingConfig#chapter()}), evaluating on
 * the validation set after every epoch and checkpointing atomically, so a killed run resumes where its last
 * epoch ended and finishes with the same weights as an uninterrupted one.
 *
 * <pre>
 *   FineTuner tuner = new FineTuner(TrainingConfig.chapter(), System.err);
 *   FineTuner.Result r = tuner.train(() -> TokenClassifier.fromPretrained(body, LabelSet.PANX, 42),
 *           tokenizerDir, trainExamples, validationExamples, tokenizer.padId(), output, false);
 * </pre>
 *
 * <p>Randomness: epoch {@code e} visits the training set in the order of
 * {@code NumpyGenerator(seed + e)} (grouped by length unless turned off), and libtorch's generator (dropout)
 * is seeded with {@code seed + e} at the start of the epoch. Same seed and data give the same loss curve.
 */
public final class FineTuner {
    static final String CHECKPOINTS = "checkpoints";
    static final String STATE = "trainer_state.json";
    static final String OPTIMIZER = "optimizer.safetensors";
    public static final String LOG = "train_log.json";
    public static final String STEPS = "train_steps.tsv";

    private final TrainingConfig config;
    private final TrainingMemory memory;
    private final PrintStream progress;
    private final EpochListener listener;

    /** Called after each epoch's checkpoint is written. */
    public interface EpochListener {
        void epochEnded(EpochLog log);
    }

    /**
     * The outcome of a run.
     *
     * @param epochs          one row per epoch
     * @param validation      the last epoch's validation run
     */
    public record Result(List<EpochLog> epochs, Evaluation validation) {
        public Result {
            epochs = List.copyOf(epochs);
        }
    }

    public FineTuner(TrainingConfig config, PrintStream progress) {
        this(config, progress, log -> { }, TrainingMemory.machineDefault());
    }

    /** @param memory what the run may take: a batch that would not fit goes through in micro-batches */
    public FineTuner(TrainingConfig config, PrintStream progress, EpochListener listener, TrainingMemory memory) {
        this.memory = memory;
        this.config = config;
        this.progress = progress;
        this.listener = listener;
    }

    /**
     * Trains and writes the final model (Hugging Face layout, tokenizer files from {@code tokenizerDir}) and
     * {@code train_log.json} into {@code output}.
     *
     * @param modelInit builds the starting model (pretrained body + fresh head); not called when resuming
     * @param resume    continue from the last checkpoint in {@code output} instead of starting afresh
     */
    public Result train(Supplier<TokenClassifier> modelInit, Path tokenizerDir, List<Example> train,
            List<Example> validation, int padId, Path output, boolean resume) throws IOException {
        if (train.isEmpty()) throw new XnerInputException("no training examples");
        Files.createDirectories(output);
        Path checkpoint = output.resolve(CHECKPOINTS);
        TrainerState state = resume ? resumeState(checkpoint) : null;
        try (ExitGate.Scope gate = ExitGate.PROCESS.enter();
                TokenClassifier model = state != null ? TokenClassifier.load(checkpoint) : modelInit.get()) {
            List<String> trained = new ArrayList<>(model.parameters().names());
            OptimizerState moments = state != null
                    ? OptimizerState.read(checkpoint.resolve(OPTIMIZER), model.parameters(), trained)
                    : OptimizerState.zeros(model.parameters(), trained);
            long checkpointBytes = checkpointBytes(model, trained);
            // the last checkpoint stays while the next is written, and the final model comes beside it
            Durable.requireSpace(output, checkpointBytes + 4 * model.parameters().size(),
                    "training (a checkpoint of the weights and two optimizer moments per weight, then the model)");
            int longest = train.stream().mapToInt(Example::length).max().orElse(1);
            progress.println("xner: " + memory.check(model.config(), model.parameters().size(), config.batchSize(), longest));
            Loop loop = new Loop(model, new TrainingStep(model, config, moments, memory),
                    new LinearSchedule(config.learningRate(), config.warmupSteps(), config.totalSteps(train.size())),
                    train, train.stream().mapToInt(Example::length).toArray(), padId, output.resolve(STEPS), checkpoint);
            startStepLog(loop.stepLog(), state);
            List<EpochLog> logs = new ArrayList<>(state != null ? state.epochs : List.of());
            int step = state != null ? state.globalStep : 0;
            Evaluation evaluation = null;
            for (int epoch = state != null ? state.epochsDone + 1 : 1; epoch <= config.epochs(); epoch++) {
                EpochSteps done = trainEpoch(loop, epoch, step);
                step = done.step();
                evaluation = Evaluation.run(model, validation, config.evalBatchSize(), padId);
                EpochLog log = new EpochLog(epoch, step, done.meanLoss(), evaluation.loss(),
                        evaluation.scores().precision(), evaluation.scores().recall(), evaluation.scores().f1(), done.seconds(),
                        done.gflop());
                logs.add(log);
                progress.println(EpochLog.HEADER);
                for (EpochLog l : logs) progress.println(l.row());
                writeCheckpoint(checkpoint, model, moments, tokenizerDir, new TrainerState(epoch, step, logs,
                        config.precision()), checkpointBytes);
                listener.epochEnded(log);
            }
            if (evaluation == null) evaluation = Evaluation.run(model, validation, config.evalBatchSize(), padId);
            saveModelFiles(model, output, tokenizerDir);
            writeLog(output.resolve(LOG), logs);
            return new Result(logs, evaluation);
        }
    }

    /** What stays the same for every epoch of a run. */
    private record Loop(TokenClassifier model, TrainingStep trainingStep, LinearSchedule schedule, List<Example> train,
            int[] lengths, int padId, Path stepLog, Path checkpoint) {}

    /** An epoch's training: the global step after it, its mean loss, its seconds (validation not included). */
    private record EpochSteps(int step, double meanLoss, double seconds, double gflop) {}

    /**
     * The precision the checkpoint in {@code output} was trained in (fp32 for those from before bf16), or empty when
     * there is none: what a resumed run keeps unless told otherwise.
     */
    public static java.util.Optional<Precision> checkpointPrecision(Path output) throws IOException {
        Path checkpoint = output.resolve(CHECKPOINTS);
        TrainerState state = TrainerState.read(Files.exists(checkpoint) ? checkpoint : checkpoint.resolveSibling(CHECKPOINTS + ".old"));
        return state == null ? java.util.Optional.empty() : java.util.Optional.of(state.precisionOrFp32());
    }

    /**
     * The state of the checkpoint to resume from, or null to start afresh (said on {@code progress}). A death
     * between the two renames of a checkpoint write leaves the last good checkpoint only in {@code checkpoints.old}:
     * it is moved back first.
     */
    private TrainerState resumeState(Path checkpoint) throws IOException {
        Path previous = checkpoint.resolveSibling(CHECKPOINTS + ".old");
        if (!Files.exists(checkpoint) && Files.isRegularFile(previous.resolve(STATE))) {
            Files.move(previous, checkpoint, StandardCopyOption.ATOMIC_MOVE);
            progress.println("xner: " + checkpoint + " was missing (a checkpoint write was cut short): resuming from "
                    + previous.getFileName() + ", now " + checkpoint.getFileName());
        }
        TrainerState state = TrainerState.read(checkpoint);
        if (state == null) {
            progress.println("xner: no checkpoint in " + checkpoint + ": starting from the pretrained body");
        } else if (state.precisionOrFp32() != config.precision()) {
            // the master weights are fp32 either way, but a run's figures should come from one precision
            throw new XnerInputException(checkpoint + ": the checkpoint was trained in " + state.precisionOrFp32()
                    + ", this run asks for " + config.precision() + ": resume with --precision " + state.precisionOrFp32()
                    + ", or start afresh without --resume");
        } else if (state.epochsDone >= config.epochs()) {
            progress.println("xner: the checkpoint in " + checkpoint + " has all " + config.epochs() + " epochs");
        } else {
            progress.println("xner: resuming from the checkpoint of epoch " + state.epochsDone + " (step " + state.globalStep
                    + ") in " + checkpoint + ": epoch " + (state.epochsDone + 1) + " of " + config.epochs() + " starts afresh");
        }
        return state;
    }

    /**
     * The step log (one line per optimiser step, for loss curves and post-mortems): a new one, or on resume the
     * old one without the steps of the epoch that was cut short, since they are done again.
     */
    private static void startStepLog(Path steps, TrainerState state) throws IOException {
        if (state == null || !Files.exists(steps)) {
            Files.writeString(steps, "epoch\tstep\tloss\tgrad_norm\tlearning_rate\tattempts\tpadded_tokens\n");
            return;
        }
        int done = state.globalStep;
        List<String> kept = Files.readAllLines(steps).stream()
                .filter(l -> l.startsWith("epoch") || Integer.parseInt(l.split("\t")[1]) <= done).toList();
        Files.write(steps, kept);
    }

    /**
     * Epoch {@code epoch}'s steps: the training set in the order of {@code NumpyGenerator(seed + epoch)} (grouped by
     * length unless turned off), libtorch's generator seeded with {@code seed + epoch}, every step logged.
     */
    private EpochSteps trainEpoch(Loop loop, int epoch, int step) throws IOException {
        List<Example> train = loop.train();
        loop.model().parameters().manager().getEngine().setRandomSeed((int) (config.seed() + epoch));
        int[] order = new NumpyGenerator(config.seed() + epoch).permutation(train.size());
        if (config.groupByLength()) order = LengthGroupedOrder.of(loop.lengths(), config.batchSize(), order);
        String label = "epoch " + epoch + "/" + config.epochs();
        int stepsThisEpoch = config.stepsPerEpoch(train.size());
        Progress bar = Progress.to(progress);
        long started = System.nanoTime();
        double lossSum = 0;
        double flop = 0;
        int batches = 0;
        for (int start = 0; start < order.length; start += config.batchSize()) {
            List<Example> chunk = new ArrayList<>();
            for (int k = start; k < Math.min(order.length, start + config.batchSize()); k++) chunk.add(train.get(order[k]));
            int atStep = step;
            ExitGate.PROCESS.between(() -> stoppedAt(atStep, epoch, loop.checkpoint()));
            step++;
            double rate = loop.schedule().rate(step - 1);
            Batch batch = Batch.collate(chunk, loop.padId());
            TrainingStep.StepResult result = loop.trainingStep().run(batch, rate, step);
            long paddedTokens = (long) batch.size() * batch.length();
            flop += paddedTokens * 3 * TrainBenchmark.forwardFlopsPerToken(loop.model().config(),
                    loop.model().labels().size(), batch.length());
            lossSum += result.loss();
            if (result.attempts() > 1) {
                List<String> failed = result.failedAttempts();
                progress.printf("%nxner: %s; computed again: loss %.6f, gradient norm %.6f%n", failed.get(failed.size() - 1),
                        result.loss(), result.gradientNorm());
            }
            appendStep(loop.stepLog(), String.format("%d\t%d\t%.6f\t%.6f\t%.3e\t%d\t%d%n", epoch, step, result.loss(),
                    result.gradientNorm(), rate, result.attempts(), paddedTokens));
            batches++;
            double fraction = batches / (double) Math.max(1, stepsThisEpoch);
            bar.update(fraction, String.format("%s %s %d/%d steps, %.2f steps/s, loss %.4f, ETA %s", label,
                    Progress.bar(fraction), batches, stepsThisEpoch, batches / bar.seconds(), lossSum / batches, bar.eta(fraction)));
        }
        return new EpochSteps(step, lossSum / batches, (System.nanoTime() - started) / 1e9, flop / 1e9);
    }

    /** Where a stopped run stopped, and what of it can be resumed. */
    private static String stoppedAt(int stepsDone, int epoch, Path checkpoint) {
        String resume = epoch == 1 ? "no epoch had finished, so there is no checkpoint"
                : "the checkpoint of epoch " + (epoch - 1) + " in " + checkpoint + " stays: --resume (or the experiment run "
                        + "again) goes on from it";
        return "at step " + stepsDone + " (epoch " + epoch + "); " + resume;
    }

    /** Bytes of a checkpoint: the weights, and two float moments for each trained weight. */
    private static long checkpointBytes(TokenClassifier model, List<String> trained) {
        long moments = trained.stream().mapToLong(name -> model.parameters().get(name).getShape().size()).sum();
        return Float.BYTES * (model.parameters().size() + 2 * moments);
    }

    private static void appendStep(Path steps, String line) throws IOException {
        try {
            Files.writeString(steps, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            if (Durable.isNoSpace(e)) throw new XnerInputException(steps + ": no space left on device", e);
            throw e;
        }
    }

    /**
     * Writes model, optimizer moments and trainer state into a temporary folder, flushed to the disk, then
     * renamed over the last one. A write that fails (a full disk) is removed, and the last checkpoint stays.
     */
    private static void writeCheckpoint(Path checkpoint, TokenClassifier model, OptimizerState moments,
            Path tokenizerDir, TrainerState state, long bytes) throws IOException {
        Files.createDirectories(checkpoint.getParent());
        Path staging = checkpoint.resolveSibling(CHECKPOINTS + ".tmp");
        ModelDirectory.deleteRecursively(staging);
        String what = "the checkpoint of epoch " + state.epochsDone;
        Durable.requireSpace(staging, bytes, what);
        try {
            model.save(staging, tokenizerDir);
            moments.save(staging.resolve(OPTIMIZER));
            Files.writeString(staging.resolve(STATE), JsonOutput.PRETTY.toJson(state));
            Durable.sync(staging);
        } catch (IOException e) {
            ModelDirectory.deleteRecursively(staging);
            if (!Durable.isNoSpace(e)) throw e;
            String kept = Files.exists(checkpoint) ? "the checkpoint before it in " + checkpoint + " stays (--resume goes on from it)"
                    : "there is no earlier checkpoint";
            throw new XnerInputException(staging + ": no space left on device while writing " + what
                    + "; the partial write was removed and " + kept, e);
        }
        Path old = checkpoint.resolveSibling(CHECKPOINTS + ".old");
        ModelDirectory.deleteRecursively(old);
        if (Files.exists(checkpoint)) Files.move(checkpoint, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(staging, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        Durable.syncParent(checkpoint);
        ModelDirectory.deleteRecursively(old);
    }

    /**
     * Writes the model's files into {@code output} beside what is already there (checkpoints, logs): saved
     * whole into a staging folder first, then each file renamed into place.
     */
    private static void saveModelFiles(TokenClassifier model, Path output, Path tokenizerDir) throws IOException {
        Path staging = output.resolve(".model.tmp");
        ModelDirectory.deleteRecursively(staging);
        try {
            model.save(staging, tokenizerDir);
        } catch (IOException e) {
            ModelDirectory.deleteRecursively(staging);
            if (!Durable.isNoSpace(e)) throw e;
            throw new XnerInputException(staging + ": no space left on device while writing the trained model; the partial "
                    + "write was removed and the last checkpoint in " + output.resolve(CHECKPOINTS) + " stays", e);
        }
        try (Stream<Path> files = Files.list(staging)) {
            for (Path file : files.toList()) {
                Files.move(file, output.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        ModelDirectory.deleteRecursively(staging);
    }

    private static void writeLog(Path file, List<EpochLog> logs) throws IOException {
        JsonObject root = new JsonObject();
        root.add("epochs", JsonOutput.PRETTY.toJsonTree(logs));
        Files.writeString(file, JsonOutput.PRETTY.toJson(root));
    }

    /** What a checkpoint records besides weights and moments. */
    static final class TrainerState {
        int epochsDone;
        int globalStep;
        List<EpochLog> epochs;
        Precision precision; // null in checkpoints from before bf16: fp32

        TrainerState(int epochsDone, int globalStep, List<EpochLog> epochs, Precision precision) {
            this.epochsDone = epochsDone;
            this.globalStep = globalStep;
            this.epochs = List.copyOf(epochs);
            this.precision = precision;
        }

        Precision precisionOrFp32() {
            return precision == null ? Precision.FP32 : precision;
        }

        /** The state of the checkpoint in {@code dir}, or null when there is none. */
        static TrainerState read(Path dir) throws IOException {
            Path file = dir.resolve(STATE);
            if (!Files.isRegularFile(file)) return null;
            TrainerState s;
            try {
                JsonObject o = StrictJson.readObject(file);
                for (String field : List.of("epochsDone", "globalStep")) { // name the field, not Gson's NumberFormatException
                    com.google.gson.JsonElement v = o.get(field);
                    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                        throw new XnerInputException(file + ": not a trainer state (field " + field + " is "
                                + (v == null ? "missing" : v) + ", expected a whole number)");
                    }
                }
                s = JsonOutput.PRETTY.fromJson(o, TrainerState.class);
            } catch (com.google.gson.JsonParseException | IllegalStateException | NumberFormatException e) {
                throw new XnerInputException(file + ": not a trainer state (" + e.getClass().getSimpleName() + ")", e);
            }
            if (s == null || s.epochs == null) throw new XnerInputException(file + ": not a trainer state");
            return s;
        }
    }
}
