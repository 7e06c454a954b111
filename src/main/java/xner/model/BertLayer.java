package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * One transformer layer, as Hugging Face's {@code BertLayer} (RoBERTa's layer is the same, and DistilBERT's
 * {@code TransformerBlock} computes the same under other names): self-attention, then the feed-forward block, each
 * closed by dropout and LayerNorm(x + residual).
 */
final class BertLayer {
    /**
     * The modules of a layer, as a checkpoint names them under the layer's prefix (each a {@code .weight} and a
     * {@code .bias}).
     */
    record Names(String query, String key, String value, String attentionOutput, String attentionNorm,
                 String intermediate, String output, String outputNorm) {
        /** BERT's, RoBERTa's, XLM-R's: {@code bert.encoder.layer.N.attention.self.query}, ... */
        static final Names BERT = new Names("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                "output.LayerNorm");
        /**
         * DistilBERT's ({@code MultiHeadSelfAttention}'s q/k/v/out_lin, {@code FFN}'s lin1/lin2): the same products.
         * Its attention scales q before q·kᵀ and masks with the float minimum rather than adding −10000; both give
         * the same probabilities (a masked key's exp(−10000) is 0 in float32) up to rounding.
         */
        static final Names DISTILBERT = new Names("attention.q_lin", "attention.k_lin", "attention.v_lin",
                "attention.out_lin", "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm");

        static Names of(BertConfig config) {
            return config.isDistilBert() ? DISTILBERT : BERT;
        }
    }

    private final Parameters parameters;
    private final String prefix; // e.g. "bert.encoder.layer.3"
    private final BertConfig config;
    private final Names names;

    BertLayer(Parameters parameters, String prefix, BertConfig config) {
        this.parameters = parameters;
        this.prefix = prefix;
        this.config = config;
        this.names = Names.of(config);
    }

    /** The parameters of layer {@code prefix}. */
    static List<ParameterSpec> specs(String prefix, BertConfig c) {
        int h = c.hiddenSize();
        int i = c.intermediateSize();
        Names n = Names.of(c);
        String p = prefix + ".";
        return List.of(
                ParameterSpec.normal(p + n.query() + ".weight", h, h),
                ParameterSpec.zeros(p + n.query() + ".bias", h),
                ParameterSpec.normal(p + n.key() + ".weight", h, h),
                ParameterSpec.zeros(p + n.key() + ".bias", h),
                ParameterSpec.normal(p + n.value() + ".weight", h, h),
                ParameterSpec.zeros(p + n.value() + ".bias", h),
                ParameterSpec.normal(p + n.attentionOutput() + ".weight", h, h),
                ParameterSpec.zeros(p + n.attentionOutput() + ".bias", h),
                ParameterSpec.ones(p + n.attentionNorm() + ".weight", h),
                ParameterSpec.zeros(p + n.attentionNorm() + ".bias", h),
                ParameterSpec.normal(p + n.intermediate() + ".weight", i, h),
                ParameterSpec.zeros(p + n.intermediate() + ".bias", i),
                ParameterSpec.normal(p + n.output() + ".weight", h, i),
                ParameterSpec.zeros(p + n.output() + ".bias", h),
                ParameterSpec.ones(p + n.outputNorm() + ".weight", h),
                ParameterSpec.zeros(p + n.outputNorm() + ".bias", h));
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
        NDArray query = heads(linear(x, names.query()), batch, seq);                   // (batch, heads, seq, d)
        NDArray key = heads(linear(x, names.key()), batch, seq);
        NDArray value = heads(linear(x, names.value()), batch, seq);
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
        NDArray dense = Functional.dropout(linear(x, names.attentionOutput()), config.hiddenDropoutProb(), training);
        return layerNorm(dense.add(residual), names.attentionNorm());
    }

    /** BertIntermediate: dense to the feed-forward width, then the activation. */
    private NDArray intermediate(NDArray x) {
        return config.activation().apply(linear(x, names.intermediate()));
    }

    /** BertOutput: dense back to the hidden width → dropout → LayerNorm(x + residual). */
    private NDArray output(NDArray x, NDArray residual, boolean training) {
        NDArray dense = Functional.dropout(linear(x, names.output()), config.hiddenDropoutProb(), training);
        return layerNorm(dense.add(residual), names.outputNorm());
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
