package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * One transformer layer, as Hugging Face's {@code BertLayer} (RoBERTa's layer is the same): self-attention,
 * then the feed-forward block, each closed by dropout and LayerNorm(x + residual).
 */
final class BertLayer {
    private final Parameters parameters;
    private final String prefix; // e.g. "bert.encoder.layer.3"
    private final BertConfig config;

    BertLayer(Parameters parameters, String prefix, BertConfig config) {
        this.parameters = parameters;
        this.prefix = prefix;
        this.config = config;
    }

    /** The parameters of layer {@code prefix}. */
    static List<ParameterSpec> specs(String prefix, BertConfig c) {
        int h = c.hiddenSize();
        int i = c.intermediateSize();
        return List.of(
                ParameterSpec.normal(prefix + ".attention.self.query.weight", h, h),
                ParameterSpec.zeros(prefix + ".attention.self.query.bias", h),
                ParameterSpec.normal(prefix + ".attention.self.key.weight", h, h),
                ParameterSpec.zeros(prefix + ".attention.self.key.bias", h),
                ParameterSpec.normal(prefix + ".attention.self.value.weight", h, h),
                ParameterSpec.zeros(prefix + ".attention.self.value.bias", h),
                ParameterSpec.normal(prefix + ".attention.output.dense.weight", h, h),
                ParameterSpec.zeros(prefix + ".attention.output.dense.bias", h),
                ParameterSpec.ones(prefix + ".attention.output.LayerNorm.weight", h),
                ParameterSpec.zeros(prefix + ".attention.output.LayerNorm.bias", h),
                ParameterSpec.normal(prefix + ".intermediate.dense.weight", i, h),
                ParameterSpec.zeros(prefix + ".intermediate.dense.bias", i),
                ParameterSpec.normal(prefix + ".output.dense.weight", h, i),
                ParameterSpec.zeros(prefix + ".output.dense.bias", h),
                ParameterSpec.ones(prefix + ".output.LayerNorm.weight", h),
                ParameterSpec.zeros(prefix + ".output.LayerNorm.bias", h));
    }

    /**
     * The layer: hidden (batch, seq, hidden) and the additive attention bias (batch, 1, 1, seq) → (batch,
     * seq, hidden).
     */
    NDArray forward(NDArray hidden, NDArray attentionBias, boolean training) {
        NDArray attention = attention(hidden, attentionBias, training);
        NDArray intermediate = intermediate(attention);
        return output(intermediate, attention, training);
    }

    /** BertAttention: self-attention, then BertSelfOutput. */
    private NDArray attention(NDArray hidden, NDArray attentionBias, boolean training) {
        return selfOutput(selfAttention(hidden, attentionBias, training), hidden, training);
    }

    /**
     * BertSelfAttention: softmax(q·kᵀ/√d + bias)·v per head, heads concatenated. In bf16 the projections and both
     * products take bf16 inputs (autocast's linear and matmul); the scores are scaled, masked and normalised in
     * fp32 (autocast's softmax), and the probabilities cast back for the product with v.
     */
    private NDArray selfAttention(NDArray hidden, NDArray attentionBias, boolean training) {
        Shape shape = hidden.getShape();
        long batch = shape.get(0);
        long seq = shape.get(1);
        Precision precision = parameters.precision();
        NDArray x = precision.forProducts(hidden);                                     // one cast for q, k and v
        NDArray query = heads(linear(x, "attention.self.query"), batch, seq);          // (batch, heads, seq, d)
        NDArray key = heads(linear(x, "attention.self.key"), batch, seq);
        NDArray value = heads(linear(x, "attention.self.value"), batch, seq);
        NDArray products = query.matMul(key.transpose(0, 1, 3, 2));                    // (batch, heads, seq, seq)
        NDArray scores = Precision.toFloat32(products);
        float scale = (float) Math.sqrt(config.headSize());
        NDArray probabilities;
        if (training) {
            probabilities = Functional.dropout(Functional.dividedBy(scores, scale).add(attentionBias).softmax(-1),
                    config.attentionProbsDropoutProb(), true);
        } else {
            // the largest arrays of the pass: scale and mask in place and free the scores once softmax has read them
            probabilities = scores.divi(scale).addi(attentionBias).softmax(-1);
            scores.close();
            if (products != scores) products.close();
        }
        NDArray context = precision.forProducts(probabilities).matMul(value);         // (batch, heads, seq, d)
        return context.transpose(0, 2, 1, 3).reshape(batch, seq, config.hiddenSize());
    }

    /** BertSelfOutput: dense → dropout → LayerNorm(x + residual). */
    private NDArray selfOutput(NDArray x, NDArray residual, boolean training) {
        NDArray dense = Functional.dropout(linear(x, "attention.output.dense"), config.hiddenDropoutProb(), training);
        return layerNorm(dense.add(residual), "attention.output.LayerNorm");
    }

    /** BertIntermediate: dense to the feed-forward width, then the activation. */
    private NDArray intermediate(NDArray x) {
        return config.activation().apply(linear(x, "intermediate.dense"));
    }

    /** BertOutput: dense back to the hidden width → dropout → LayerNorm(x + residual). */
    private NDArray output(NDArray x, NDArray residual, boolean training) {
        NDArray dense = Functional.dropout(linear(x, "output.dense"), config.hiddenDropoutProb(), training);
        return layerNorm(dense.add(residual), "output.LayerNorm");
    }

    // (batch, seq, hidden) → (batch, heads, seq, head size)
    private NDArray heads(NDArray x, long batch, long seq) {
        return x.reshape(batch, seq, config.numAttentionHeads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    // in the parameters' precision: a bf16 result in bf16, which the residual's fp32 sum turns back into fp32
    private NDArray linear(NDArray x, String module) {
        return Functional.linear(x, parameters, prefix + "." + module + ".weight", prefix + "." + module + ".bias");
    }

    private NDArray layerNorm(NDArray x, String module) {
        return Functional.layerNorm(x, parameters.get(prefix + "." + module + ".weight"),
                parameters.get(prefix + "." + module + ".bias"), config.layerNormEps());
    }
}
