package xner.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fine-tuning recipe. {@link #chapter()} is the chapter's: AdamW with learning rate 5e-5, betas
 * (0.9, 0.999), eps 1e-8, weight decay 0.01 except on biases and LayerNorm weights, linear decay to 0,
 * batch 24, 3 epochs, seed 42, gradient-norm clipping at 1.0, evaluation after every epoch.
 *
 * @param groupByLength     batches of sentences of similar length (Hugging Face's {@code group_by_length})
 * @param sparseEmbeddings  update only the word-embedding rows a batch touches
 * @param evalBatchSize     batch size for evaluation
 */
public record TrainingConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                             int warmupSteps, int epochs, int batchSize, long seed, double maxGradNorm,
                             boolean groupByLength, boolean sparseEmbeddings, int evalBatchSize) {
    public TrainingConfig {
        if (learningRate <= 0) throw new IllegalArgumentException("learning rate must be > 0, was " + learningRate);
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be > 0, was " + epochs);
        if (batchSize <= 0 || evalBatchSize <= 0) throw new IllegalArgumentException("batch sizes must be > 0");
        if (weightDecay < 0 || warmupSteps < 0 || maxGradNorm <= 0) {
            throw new IllegalArgumentException("weight decay and warm-up must be >= 0, gradient-norm limit > 0");
        }
    }

    public static TrainingConfig chapter() {
        return new TrainingConfig(5e-5, 0.9, 0.999, 1e-8, 0.01, 0, 3, 24, 42, 1.0, true, true, 64);
    }

    public TrainingConfig withEpochs(int n) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, n, batchSize, seed,
                maxGradNorm, groupByLength, sparseEmbeddings, evalBatchSize);
    }

    public TrainingConfig withBatchSize(int n) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, epochs, n, seed,
                maxGradNorm, groupByLength, sparseEmbeddings, evalBatchSize);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(lr, beta1, beta2, epsilon, weightDecay, warmupSteps, epochs, batchSize, seed,
                maxGradNorm, groupByLength, sparseEmbeddings, evalBatchSize);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, epochs, batchSize, s,
                maxGradNorm, groupByLength, sparseEmbeddings, evalBatchSize);
    }

    public TrainingConfig withWarmupSteps(int n) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, n, epochs, batchSize, seed,
                maxGradNorm, groupByLength, sparseEmbeddings, evalBatchSize);
    }

    public TrainingConfig withGroupByLength(boolean on) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, epochs, batchSize,
                seed, maxGradNorm, on, sparseEmbeddings, evalBatchSize);
    }

    public TrainingConfig withSparseEmbeddings(boolean on) {
        return new TrainingConfig(learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, epochs, batchSize,
                seed, maxGradNorm, groupByLength, on, evalBatchSize);
    }

    /** Whether a parameter gets weight decay: not biases, not LayerNorm weights (the Trainer's rule). */
    public double weightDecayOf(String parameterName) {
        return parameterName.endsWith(".bias") || parameterName.contains("LayerNorm.") ? 0 : weightDecay;
    }

    /** Optimiser steps for a training set of {@code examples}. */
    public int totalSteps(int examples) {
        return epochs * stepsPerEpoch(examples);
    }

    public int stepsPerEpoch(int examples) {
        return Math.max(1, (examples + batchSize - 1) / batchSize);
    }

    /** Name → value, for logs and provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learning_rate", learningRate);
        m.put("adam_beta1", beta1);
        m.put("adam_beta2", beta2);
        m.put("adam_epsilon", epsilon);
        m.put("weight_decay", weightDecay);
        m.put("warmup_steps", warmupSteps);
        m.put("num_train_epochs", epochs);
        m.put("per_device_train_batch_size", batchSize);
        m.put("seed", seed);
        m.put("max_grad_norm", maxGradNorm);
        m.put("group_by_length", groupByLength);
        m.put("sparse_embeddings", sparseEmbeddings);
        m.put("per_device_eval_batch_size", evalBatchSize);
        return m;
    }
}
