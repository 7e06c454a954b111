package xner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xner.model.Parameters;
import xner.model.TokenClassifier;
import xner.tokenize.Batch;

/**
 * One optimiser step of fine-tuning: forward and backward on a batch, global-norm clipping, AdamW on every
 * parameter (row-sparse on the word embeddings when the config says so). Clipping costs one norm per
 * gradient and one read back; the clipping scale, AdamW and the zeroing of the gradients are one pass over
 * libtorch's memory ({@link AdamW}). Used by {@link FineTuner} and by
 * the training benchmark, so that the benchmark times exactly the step that trains.
 */
public final class TrainingStep {
    private final TokenClassifier model;
    private final TrainingConfig config;
    private final OptimizerState moments;
    private final AdamW adam;
    private final String wordEmbeddings;
    private final List<String> dense; // parameters updated as a whole
    private final TrainingMemory memory;

    /** A step is computed at most this often when its gradient is not finite. */
    static final int MAX_ATTEMPTS = 2;

    /**
     * @param memory how many rows of a batch go through forward and backward at once: a batch whose activations
     *               would not fit is cut into micro-batches whose gradients add up to the whole batch's
     */
    TrainingStep(TokenClassifier model, TrainingConfig config, OptimizerState moments, TrainingMemory memory) {
        this.memory = memory;
        this.model = model;
        this.config = config;
        this.moments = moments;
        this.adam = new AdamW(config.beta1(), config.beta2(), config.epsilon());
        this.wordEmbeddings = model.encoder().prefix() + ".embeddings.word_embeddings.weight";
        List<String> names = new ArrayList<>(model.parameters().names());
        if (config.sparseEmbeddings()) names.remove(wordEmbeddings); // its gradient is the batch rows'
        this.dense = List.copyOf(names);
        // with sparse embeddings the table itself records no gradient: its batch rows become a leaf per step
        model.parameters().requireGradients(name -> !(config.sparseEmbeddings() && name.equals(wordEmbeddings)));
        model.parameters().usePrecision(config.precision());
    }

    /** A step with fresh (zero) optimiser moments, for benchmarks. */
    public static TrainingStep fresh(TokenClassifier model, TrainingConfig config) {
        return fresh(model, config, TrainingMemory.UNLIMITED);
    }

    /** {@link #fresh(TokenClassifier, TrainingConfig)} within a memory budget. */
    public static TrainingStep fresh(TokenClassifier model, TrainingConfig config, TrainingMemory memory) {
        return new TrainingStep(model, config, OptimizerState.zeros(model.parameters(),
                List.copyOf(model.parameters().names())), memory);
    }

    /**
     * What one step did.
     *
     * @param loss           the batch's loss, from the attempt that updated the weights
     * @param gradientNorm   the global gradient norm of that attempt, before clipping
     * @param attempts       attempts the step took: 1, or 2 when its first gradient was not finite
     * @param failedAttempts what went wrong in each failed attempt of this step, oldest first, for the log
     * @param microBatches   how many forward and backward passes the batch took (more than 1 when it would not fit the
     *                       memory budget at once)
     */
    public record StepResult(double loss, double gradientNorm, int attempts, List<String> failedAttempts, int microBatches) {
        public StepResult {
            failedAttempts = List.copyOf(failedAttempts);
        }
    }

    /**
     * Trains on one batch; returns its loss, gradient norm and attempts.
     *
     * <p>A step whose loss or gradient norm is not finite updates nothing and is computed once more from the
     * same weights; when the second attempt fails too, training stops and names the batch's sentences.
     * {@link StepResult#attempts()} says how many attempts the step took. The NaN gradients with a finite loss
     * met before (twice in some 7,000 steps) were read from Java buffers the garbage collector had freed
     * ({@code Functional#scalar}, fixed): a second attempt is now a guard against real divergence, and a run
     * whose log shows one is no longer bit for bit reproducible.
     *
     * @param learningRate the schedule's rate for this step
     * @param stepNumber   1-based count of optimiser steps, this one included (AdamW's bias correction)
     */
    public StepResult run(Batch batch, double learningRate, long stepNumber) {
        return run(batch, learningRate, stepNumber, StepProfile.NONE);
    }

    /** {@link #run(Batch, double, long)}, charging the time of each phase to {@code profile}. */
    public StepResult run(Batch batch, double learningRate, long stepNumber, StepProfile profile) {
        Parameters parameters = model.parameters();
        List<String> failedAttempts = new ArrayList<>();
        profile.startStep();
        // what malloc kept from earlier steps and this step's activations would pass the budget: give the kept back
        if (memory.wouldPass(NativeHeap.residentBytes(), model.config(), parameters.size(), batch.size(), batch.length())) {
            NativeHeap.trim();
        }
        for (int attempt = 1; ; attempt++) {
            StepResult result;
            try (NDManager step = parameters.manager().newSubManager()) {
                EmbeddingRows rows = config.sparseEmbeddings()
                        ? EmbeddingRows.of(step, parameters.get(wordEmbeddings), batch.ids()) : null;
                float loss = forwardBackward(step, batch, rows, profile);

                List<NDArray> gradients = new ArrayList<>();
                for (String name : dense) gradients.add(parameters.gradient(step, name));
                NDArray rowGradient = rows == null ? null : rows.gradient(step);
                profile.mark(StepProfile.Phase.GATHER);
                double norm = globalNorm(step, gradients, rowGradient);
                // torch's clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1
                double scale = Math.min(1, config.maxGradNorm() / (norm + 1e-6));
                profile.mark(StepProfile.Phase.CLIPPING);
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    String what = "step " + stepNumber + ": loss " + loss + ", gradient norm " + norm + " on a batch of "
                            + batch.size() + "x" + batch.length() + " from "
                            + batch.examples().stream().map(e -> e.sentence().source().toString()).toList();
                    // an update now would spread NaN into every weight
                    if (attempt == MAX_ATTEMPTS) throw new IllegalStateException(what + " (attempt " + attempt + ")");
                    parameters.resetGradients();
                    failedAttempts.add(what);
                    continue;
                }
                // the scaling, the update and the zeroing of every dense gradient in one pass
                List<AdamW.Slot> slots = new ArrayList<>(dense.size());
                for (int i = 0; i < dense.size(); i++) {
                    String name = dense.get(i);
                    slots.add(new AdamW.Slot(parameters.get(name), gradients.get(i), moments.first(name),
                            moments.second(name), config.weightDecayOf(name)));
                }
                adam.update(slots, learningRate, scale, stepNumber);
                if (rows != null) {
                    adam.updateRows(step, parameters.get(wordEmbeddings), rows.ids(), rowGradient,
                            moments.first(wordEmbeddings), moments.second(wordEmbeddings), learningRate,
                            config.weightDecayOf(wordEmbeddings), scale, stepNumber);
                }
                profile.mark(StepProfile.Phase.OPTIMIZER);
                int perPass = memory.rowsPerPass(model.config(), parameters.size(), batch.length());
                result = new StepResult(loss, norm, attempt, failedAttempts, perPass >= batch.size() ? 1
                        : (batch.size() + perPass - 1) / perPass);
            }
            profile.endStep(); // the scope's closing counts as "other"
            return result;
        }
    }

    /**
     * Forward and backward in training mode; gradients are recorded only here, never during the update. A batch
     * whose activations would not fit the memory budget goes in micro-batches of rows, each with its own scope freed
     * after its backward: each micro-batch's mean loss is weighted by its share of the batch's labelled tokens, so the
     * gradients add up to those of the whole batch's mean loss (up to float rounding; dropout draws other masks).
     */
    private float forwardBackward(NDManager step, Batch batch, EmbeddingRows rows, StepProfile profile) {
        int perPass = memory.rowsPerPass(model.config(), model.parameters().size(), batch.length());
        double labelled = Math.max(1, batch.labelled());
        double total = 0;
        try (GradientCollector collector = model.parameters().manager().getEngine().newGradientCollector()) {
            for (int from = 0; from < batch.size(); from += perPass) {
                int to = Math.min(batch.size(), from + perPass);
                Batch part = perPass >= batch.size() ? batch : batch.rows(from, to);
                try (NDManager scope = step.newSubManager()) {
                    Shape shape = new Shape(part.size(), part.length());
                    NDArray ids = scope.create(part.ids(), shape);
                    NDArray mask = scope.create(part.mask(), shape);
                    NDArray labels = scope.create(part.labels(), shape);
                    profile.mark(StepProfile.Phase.COPIES);
                    NDArray logits = rows == null ? model.logits(scope, ids, mask, true)
                            : model.logits(scope, ids, rows.vectors(scope, from, shape), mask, true);
                    NDArray loss = TokenClassifier.loss(logits, labels);
                    if (part != batch) loss = loss.mul((float) (part.labelled() / labelled));
                    profile.mark(StepProfile.Phase.FORWARD);
                    collector.backward(loss);
                    profile.mark(StepProfile.Phase.BACKWARD);
                    total += loss.getFloat();
                    profile.mark(StepProfile.Phase.COPIES);
                }
            }
        }
        return (float) total;
    }

    /**
     * The global L2 norm of all gradients as torch's clip_grad_norm_ computes it: the norm of the stacked
     * per-gradient norms, computed by libtorch, read back once.
     */
    private static double globalNorm(NDManager step, List<NDArray> gradients, NDArray rowGradient) {
        NDList norms = new NDList(gradients.size() + 1);
        for (NDArray g : gradients) norms.add(g.norm());
        if (rowGradient != null) norms.add(rowGradient.norm());
        if (norms.isEmpty()) return 0;
        NDArray stacked = NDArrays.stack(norms);
        stacked.attach(step);
        return stacked.norm().getFloat();
    }

    /**
     * The word-embedding rows one batch uses, copied into a small leaf of the step that records its own
     * gradient: only these rows are updated (row-sparse AdamW), and no gradient of the whole table is made.
     *
     * @param ids     the distinct token ids of the batch, sorted    // (rows)
     * @param rows    their embedding rows                           // (rows, hidden)
     * @param inverse for each batch position, its row in {@code rows}
     */
    record EmbeddingRows(NDArray ids, NDArray rows, long[] inverse) {
        static EmbeddingRows of(NDManager step, NDArray table, long[] batchIds) {
            long[] distinct = Arrays.stream(batchIds).distinct().sorted().toArray();
            long[] inverse = Arrays.stream(batchIds).map(id -> Arrays.binarySearch(distinct, id)).toArray();
            NDArray ids = step.create(distinct);
            NDArray rows = table.get(new NDIndex("{}", ids));
            rows.attach(step); // a gather from the table joins the table's scope otherwise
            rows.setRequiresGradient(true);
            return new EmbeddingRows(ids, rows, inverse);
        }

        /** The word vector of every position of the batch's rows from {@code fromRow} on: (rows, seq, hidden). */
        NDArray vectors(NDManager scope, int fromRow, Shape shape) {
            int from = (int) (fromRow * shape.get(1));
            long[] part = Arrays.copyOfRange(inverse, from, from + (int) (shape.get(0) * shape.get(1)));
            NDArray vectors = rows.get(new NDIndex("{}", scope.create(part))).reshape(shape.get(0), shape.get(1), -1);
            // a gather joins the rows' manager (the step's) otherwise, and so would every array of the forward pass
            // built on it: a micro-batch's activations would live until the step ends instead of its own scope
            vectors.attach(scope);
            return vectors;
        }

        NDArray gradient(NDManager step) {
            NDArray g = rows.getGradient();
            g.attach(step);
            return g;
        }
    }
}
