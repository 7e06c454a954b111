package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import xner.XnerInputException;

/**
 * The pretrained body: embeddings, then a stack of {@link BertLayer}s, and an optional pooler; Hugging Face's
 * {@code BertModel} / {@code XLMRobertaModel}. Ids in, one hidden vector per token out.
 *
 * <p>The bodies differ only in what {@link BertEncoder}, {@link XlmRobertaEncoder} and {@link DistilBertEncoder}
 * name: the parameter prefix and the position each token takes (and DistilBERT's module names, in
 * {@link BertLayer.Names}, and its lack of token types). Make the inputs in the scope passed first: libtorch
 * puts each result in its first operand's manager, so every array of the pass then dies with that scope,
 * while the parameters stay in their {@link Parameters}.
 *
 * <pre>
 *   try (NDManager call = parameters.manager().newSubManager()) {
 *       NDArray ids = call.create(new long[][] {{101, 17218, 102}});
 *       NDArray hidden = encoder.forward(call, ids, null, null, false);   // (1, 3, 768)
 *   }
 * </pre>
 */
public abstract sealed class Encoder permits BertEncoder, XlmRobertaEncoder, DistilBertEncoder {
    /** The additive attention bias of a padded position, as the reference and Hugging Face before 4.31. */
    public static final float MASKED_BIAS = -10000f;

    private final BertConfig config;
    private final Parameters parameters;
    private final Embeddings embeddings;
    private final List<BertLayer> layers;

    Encoder(BertConfig config, Parameters parameters) {
        this.config = config;
        this.parameters = parameters;
        this.embeddings = new Embeddings(parameters, prefix(config) + ".embeddings", config);
        List<BertLayer> stack = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            stack.add(new BertLayer(parameters, layerPrefix(config, i), config));
        }
        this.layers = List.copyOf(stack);
    }

    /** The body {@code config.model_type} names, over parameters already loaded. */
    public static Encoder of(BertConfig config, Parameters parameters) {
        if (config.isRoberta()) return new XlmRobertaEncoder(config, parameters);
        return config.isDistilBert() ? new DistilBertEncoder(config, parameters) : new BertEncoder(config, parameters);
    }

    /** The parameter-name prefix of the body: {@code bert}, {@code roberta} or {@code distilbert}. */
    public static String prefix(BertConfig config) {
        if (config.isRoberta()) return XlmRobertaEncoder.PREFIX;
        return config.isDistilBert() ? DistilBertEncoder.PREFIX : BertEncoder.PREFIX;
    }

    /** The parameters of the body, with or without the pooler (token classification has none). */
    public static List<ParameterSpec> specs(BertConfig config, boolean withPooler) {
        String prefix = prefix(config);
        List<ParameterSpec> specs = new ArrayList<>(Embeddings.specs(prefix + ".embeddings", config));
        for (int i = 0; i < config.numHiddenLayers(); i++) specs.addAll(BertLayer.specs(layerPrefix(config, i), config));
        if (withPooler && !config.isDistilBert()) { // DistilBERT has none
            int h = config.hiddenSize();
            specs.add(ParameterSpec.normal(prefix + ".pooler.dense.weight", h, h));
            specs.add(ParameterSpec.zeros(prefix + ".pooler.dense.bias", h));
        }
        return specs;
    }

    public BertConfig config() {
        return config;
    }

    /** The parameter-name prefix of this body. */
    public String prefix() {
        return prefix(config);
    }

    /**
     * The position-table row of each token: ids (batch, seq) int64 → (batch or 1, seq) int64.
     */
    abstract NDArray positionIds(NDManager step, NDArray inputIds);

    /** The highest number of tokens one sequence may have. */
    public abstract int maxSequenceLength();

    /**
     * The last layer's hidden states.
     *
     * @param step the scope of this call, where the inputs were made; everything the pass makes lives there
     * @param inputIds (batch, seq) token ids, int32 or int64
     * @param attentionMask (batch, seq), 1 for tokens and 0 for padding; null for all ones
     * @param tokenTypeIds (batch, seq) segment ids; null for all zeros
     * @param training whether dropout is on
     * @return (batch, seq, hidden)
     */
    public final NDArray forward(NDManager step, NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
            boolean training) {
        return run(step, inputIds, null, attentionMask, tokenTypeIds, training, null);
    }

    /**
     * The last layer's hidden states from word vectors the caller looked up, as transformers'
     * {@code inputs_embeds}: the trainer passes the batch's embedding rows as a leaf of their own so that only
     * those rows get a gradient. Positions and padding still come from {@code inputIds}.
     *
     * @param wordVectors (batch, seq, hidden) in place of the word-embedding lookup
     */
    public final NDArray forward(NDManager step, NDArray inputIds, NDArray wordVectors, NDArray attentionMask,
            NDArray tokenTypeIds, boolean training) {
        return run(step, inputIds, wordVectors, attentionMask, tokenTypeIds, training, null);
    }

    /**
     * Every hidden state, as Hugging Face's {@code output_hidden_states}: element 0 is the embedding output,
     * element i the output of layer i (1-based), the last the same as {@link #forward}. Same arguments.
     */
    public final NDList hiddenStates(NDManager step, NDArray inputIds, NDArray attentionMask,
            NDArray tokenTypeIds, boolean training) {
        NDList states = new NDList();
        run(step, inputIds, null, attentionMask, tokenTypeIds, training, states);
        return states;
    }

    /** Whether the body has its pooler's weights. */
    public boolean hasPooler() {
        return parameters.contains(prefix() + ".pooler.dense.weight");
    }

    /** BertPooler: tanh(dense(first token's hidden state)): (batch, seq, hidden) → (batch, hidden). */
    public NDArray pool(NDArray lastHiddenState) {
        NDArray first = lastHiddenState.get(":, 0, :");
        return Functional.linear(first, parameters.get(prefix() + ".pooler.dense.weight"),
                parameters.get(prefix() + ".pooler.dense.bias")).tanh();
    }

    /** The word-embedding table (vocab, hidden), shared with the masked-LM decoder. */
    NDArray wordEmbeddings() {
        return embeddings.wordEmbeddings();
    }

    private NDArray run(NDManager step, NDArray inputIds, NDArray wordVectors, NDArray attentionMask, NDArray tokenTypeIds,
            boolean training, NDList states) {
        if (inputIds.getShape().dimension() != 2) {
            throw new IllegalArgumentException("input ids must be (batch, seq), got " + inputIds.getShape());
        }
        long batch = inputIds.getShape().get(0);
        long seq = inputIds.getShape().get(1);
        if (seq > maxSequenceLength()) {
            throw new XnerInputException("a sequence of " + seq + " tokens is longer than the model's limit of "
                    + maxSequenceLength() + " (max_position_embeddings); truncate the input");
        }
        NDArray ids = inputIds.toType(DataType.INT64, false);
        NDArray types = tokenTypeIds == null ? step.zeros(ids.getShape(), DataType.INT64)
                : tokenTypeIds.toType(DataType.INT64, false);
        NDArray mask = attentionMask == null ? step.ones(ids.getShape()) : attentionMask.toType(DataType.FLOAT32, false);
        // (1 - mask) · -10000, broadcast over heads and query positions: (batch, 1, 1, seq)
        NDArray bias = mask.neg().add(1f).mul(MASKED_BIAS).reshape(batch, 1, 1, seq);

        NDArray hidden = embeddings.forward(ids, wordVectors, positionIds(step, ids), types, training);
        if (states != null) states.add(hidden);
        // Inference keeps one layer alive at a time; training needs every intermediate for the backward pass.
        boolean freeAsItGoes = !training && states == null;
        for (BertLayer layer : layers) {
            hidden = freeAsItGoes ? inItsOwnScope(step, layer, hidden, bias) : layer.forward(hidden, bias, training);
            if (states != null) states.add(hidden);
        }
        return hidden;
    }

    /**
     * One layer of inference whose intermediates die when it ends. Without this every array of the pass lives
     * until the caller's scope closes: a layer makes ~70 MB for one 512-token window (attention scores are
     * (heads, seq, seq) floats, four times over), twelve layers about 1 GB (issue 12, item 5). The layer's input
     * is freed too: the next layer needs only the output, which joins {@code step}.
     */
    private static NDArray inItsOwnScope(NDManager step, BertLayer layer, NDArray input, NDArray bias) {
        try (NDManager scope = step.newSubManager()) {
            input.attach(scope); // results join their first operand's manager: the layer's input → this scope
            NDArray output = layer.forward(input, bias, false);
            output.attach(step);
            return output;
        }
    }

    /** {@code bert.encoder.layer.3}; DistilBERT's {@code distilbert.transformer.layer.3}. */
    private static String layerPrefix(BertConfig config, int i) {
        return prefix(config) + (config.isDistilBert() ? ".transformer.layer." : ".encoder.layer.") + i;
    }
}
