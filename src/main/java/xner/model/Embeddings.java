package xner.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The embedding layer, as Hugging Face's {@code BertEmbeddings}: word + position + token-type embeddings, then
 * LayerNorm and dropout; DistilBERT's {@code Embeddings} have no token types. Which position each token takes is the
 * body's business (BERT and XLM-R differ).
 */
final class Embeddings {
    private final Parameters parameters;
    private final String prefix; // "bert.embeddings" or "roberta.embeddings"
    private final BertConfig config;

    Embeddings(Parameters parameters, String prefix, BertConfig config) {
        this.parameters = parameters;
        this.prefix = prefix;
        this.config = config;
    }

    /** The parameters of the layer; the tables' padding rows start at zero as in transformers. */
    static List<ParameterSpec> specs(String prefix, BertConfig c) {
        int h = c.hiddenSize();
        // RobertaEmbeddings gives its position table a padding index too; BertEmbeddings does not
        ParameterSpec positions = c.isRoberta()
                ? ParameterSpec.embedding(prefix + ".position_embeddings.weight", c.padTokenId(),
                        c.maxPositionEmbeddings(), h)
                : ParameterSpec.normal(prefix + ".position_embeddings.weight", c.maxPositionEmbeddings(), h);
        List<ParameterSpec> specs = new java.util.ArrayList<>(List.of(
                ParameterSpec.embedding(prefix + ".word_embeddings.weight", c.padTokenId(), c.vocabSize(), h),
                positions));
        if (!c.isDistilBert()) specs.add(ParameterSpec.normal(prefix + ".token_type_embeddings.weight", c.typeVocabSize(), h));
        specs.add(ParameterSpec.ones(prefix + ".LayerNorm.weight", h));
        specs.add(ParameterSpec.zeros(prefix + ".LayerNorm.bias", h));
        return List.copyOf(specs);
    }

    /**
     * Embeds a batch: ids (batch, seq), positions (batch or 1, seq), token types (batch, seq), all int64 →
     * (batch, seq, hidden). {@code wordVectors} (batch, seq, hidden), when not null, replaces the word lookup.
     */
    NDArray forward(NDArray inputIds, NDArray wordVectors, NDArray positionIds, NDArray tokenTypeIds, boolean training) {
        NDArray words = wordVectors != null ? wordVectors : Functional.embedding(inputIds, p("word_embeddings.weight"));
        NDArray x = config.isDistilBert() ? words
                : words.add(Functional.embedding(tokenTypeIds, p("token_type_embeddings.weight")));
        x = x.add(Functional.embedding(positionIds, p("position_embeddings.weight")));
        x = Functional.layerNorm(x, p("LayerNorm.weight"), p("LayerNorm.bias"), config.layerNormEps());
        return Functional.dropout(x, config.hiddenDropoutProb(), training);
    }

    /** The word-embedding table (vocab, hidden), which the masked-LM decoder shares. */
    NDArray wordEmbeddings() {
        return p("word_embeddings.weight");
    }

    private NDArray p(String name) {
        return parameters.get(prefix + "." + name);
    }
}
