package xner.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import xner.XnerInputException;
import xner.model.Precision;

/**
 * The fine-tuning recipe. {@link #chapter()} is the chapter's: AdamW with learning rate 5e-5, betas
 * (0.9, 0.999), eps 1e-8, weight decay 0.01 except on biases and LayerNorm weights, linear decay to 0,
 * batch 24, 3 epochs, seed 42, gradient-norm clipping at 1.0, evaluation after every epoch.
 *
 * @param groupByLength     batches of sentences of similar length (Hugging Face's {@code group_by_length})
 * @param sparseEmbeddings  update only the word-embedding rows a batch touches
 * @param evalBatchSize     batch size for evaluation
 * @param precision         the number type of the model's matrix products ({@link Precision}): fp32, or bf16 with
 *                          fp32 master weights, loss and optimiser
 */
public record TrainingConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                             int warmupSteps, int epochs, int batchSize, long seed, double maxGradNorm,
                             boolean groupByLength, boolean sparseEmbeddings, int evalBatchSize,
                             Precision precision) {
    public TrainingConfig {
        if (precision == null) throw new IllegalArgumentException("precision must be given");
        // the values come from the command line (or a checkpoint's config): a bad one is the user's input, exit 2
        if (!(learningRate > 0)) throw new XnerInputException("--lr must be > 0, was " + learningRate);
        if (epochs <= 0) throw new XnerInputException("--epochs must be >= 1, was " + epochs);
        if (batchSize <= 0) throw new XnerInputException("--batch-size must be >= 1, was " + batchSize);
        if (evalBatchSize <= 0) throw new XnerInputException("the evaluation batch size must be >= 1, was " + evalBatchSize);
        if (!(weightDecay >= 0)) throw new XnerInputException("the weight decay must be >= 0, was " + weightDecay);
        if (warmupSteps < 0) throw new XnerInputException("--warmup-steps must be >= 0, was " + warmupSteps);
        if (!(maxGradNorm > 0)) throw new XnerInputException("the gradient-norm limit must be > 0, was " + maxGradNorm);
    }

    /** The chapter's recipe: every key's default. */
    public static TrainingConfig chapter() {
        Builder b = new Builder();
        for (Key<?> key : KEYS) key.setDefault(b);
        return b.build();
    }

    /** A builder that starts from this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public TrainingConfig withEpochs(int n) {
        return toBuilder().epochs(n).build();
    }

    public TrainingConfig withBatchSize(int n) {
        return toBuilder().batchSize(n).build();
    }

    public TrainingConfig withLearningRate(double lr) {
        return toBuilder().learningRate(lr).build();
    }

    /** Builds a {@link TrainingConfig} one value at a time; {@link #build()} checks them all. */
    public static final class Builder {
        private double learningRate;
        private double beta1;
        private double beta2;
        private double epsilon;
        private double weightDecay;
        private int warmupSteps;
        private int epochs;
        private int batchSize;
        private long seed;
        private double maxGradNorm;
        private boolean groupByLength;
        private boolean sparseEmbeddings;
        private int evalBatchSize;
        private Precision precision;

        private Builder() {}

        private Builder(TrainingConfig c) {
            learningRate = c.learningRate;
            beta1 = c.beta1;
            beta2 = c.beta2;
            epsilon = c.epsilon;
            weightDecay = c.weightDecay;
            warmupSteps = c.warmupSteps;
            epochs = c.epochs;
            batchSize = c.batchSize;
            seed = c.seed;
            maxGradNorm = c.maxGradNorm;
            groupByLength = c.groupByLength;
            sparseEmbeddings = c.sparseEmbeddings;
            evalBatchSize = c.evalBatchSize;
            precision = c.precision;
        }

        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder beta1(double v) { beta1 = v; return this; }
        public Builder beta2(double v) { beta2 = v; return this; }
        public Builder epsilon(double v) { epsilon = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder groupByLength(boolean v) { groupByLength = v; return this; }
        public Builder sparseEmbeddings(boolean v) { sparseEmbeddings = v; return this; }
        public Builder evalBatchSize(int v) { evalBatchSize = v; return this; }
        public Builder precision(Precision v) { precision = v; return this; }

        /** The config, checked as the record's constructor checks it. */
        public TrainingConfig build() {
            return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, epochs,
                    batchSize, seed, maxGradNorm, groupByLength, sparseEmbeddings, evalBatchSize, precision);
        }
    }

    /** Whether a parameter gets weight decay: not biases, not LayerNorm weights (the Trainer's rule). */
    public double weightDecayOf(String parameterName) {
        // LayerNorm by module type, as the Trainer's ALL_LAYERNORM_LAYERS: BERT's "LayerNorm", RoBERTa's MLM head's
        // "layer_norm", DistilBERT's "sa_layer_norm", "output_layer_norm", "vocab_layer_norm"
        return parameterName.endsWith(".bias") || parameterName.contains("LayerNorm.") || parameterName.contains("layer_norm.")
                ? 0 : weightDecay;
    }

    /** Optimiser steps for a training set of {@code examples}. */
    public int totalSteps(int examples) {
        return epochs * stepsPerEpoch(examples);
    }

    public int stepsPerEpoch(int examples) {
        return Math.max(1, (examples + batchSize - 1) / batchSize);
    }

    /** Name → value (Hugging Face's {@code TrainingArguments} names), for logs and provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Key<?> key : KEYS) m.put(key.name(), key.get().apply(this));
        return m;
    }

    /** Every component, in {@link #asMap()}'s order, with its name and the chapter's value. */
    private static final List<Key<?>> KEYS = List.of(
            new Key<>("learning_rate", 5e-5, TrainingConfig::learningRate, Builder::learningRate),
            new Key<>("adam_beta1", 0.9, TrainingConfig::beta1, Builder::beta1),
            new Key<>("adam_beta2", 0.999, TrainingConfig::beta2, Builder::beta2),
            new Key<>("adam_epsilon", 1e-8, TrainingConfig::epsilon, Builder::epsilon),
            new Key<>("weight_decay", 0.01, TrainingConfig::weightDecay, Builder::weightDecay),
            new Key<>("warmup_steps", 0, TrainingConfig::warmupSteps, Builder::warmupSteps),
            new Key<>("num_train_epochs", 3, TrainingConfig::epochs, Builder::epochs),
            new Key<>("per_device_train_batch_size", 24, TrainingConfig::batchSize, Builder::batchSize),
            new Key<>("seed", 42L, TrainingConfig::seed, Builder::seed),
            new Key<>("max_grad_norm", 1.0, TrainingConfig::maxGradNorm, Builder::maxGradNorm),
            new Key<>("group_by_length", true, TrainingConfig::groupByLength, Builder::groupByLength),
            new Key<>("sparse_embeddings", true, TrainingConfig::sparseEmbeddings, Builder::sparseEmbeddings),
            new Key<>("per_device_eval_batch_size", 64, TrainingConfig::evalBatchSize, Builder::evalBatchSize),
            // transformers' bf16=True, with CPU autocast's semantics
            new Key<>("precision", Precision.FP32, TrainingConfig::precision, Builder::precision));

    /** One hyperparameter: its name in {@link #asMap()}, the chapter's value, and the component that holds it. */
    private record Key<T>(String name, T chapter, Function<TrainingConfig, T> get, BiConsumer<Builder, T> set) {
        void setDefault(Builder b) {
            set.accept(b, chapter);
        }
    }
}
