package xner.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The masked-language-model head: dense → activation → LayerNorm → decoder to the vocabulary, the decoder's
 * weight tied to the word embeddings. BERT names it {@code cls.predictions.*} ({@code BertLMPredictionHead},
 * activation {@code hidden_act}); RoBERTa / XLM-R {@code lm_head.*} ({@code RobertaLMHead}, always the exact
 * GELU); DistilBERT {@code vocab_transform}, {@code vocab_layer_norm}, {@code vocab_projector} ({@code
 * DistilBertForMaskedLM}, activation {@code activation}).
 */
public final class MaskedLmHead {
    /** Where a variant keeps the head's parameters, and its activation. */
    private record Layout(String dense, String layerNorm, String bias, boolean configActivation) {
        static Layout of(BertConfig config) {
            if (config.isRoberta()) return new Layout("lm_head.dense", "lm_head.layer_norm", "lm_head.bias", false);
            if (config.isDistilBert()) return new Layout("vocab_transform", "vocab_layer_norm", "vocab_projector.bias", true);
            return new Layout("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                    "cls.predictions.bias", true);
        }
    }

    private final BertConfig config;
    private final Parameters parameters;
    private final Encoder encoder;
    private final Layout layout;

    MaskedLmHead(Encoder encoder, Parameters parameters) {
        this.config = encoder.config();
        this.parameters = parameters;
        this.encoder = encoder;
        this.layout = Layout.of(config);
    }

    /** The head's own parameters (the decoder weight is the word-embedding table, listed by the body). */
    static List<ParameterSpec> specs(BertConfig config) {
        Layout l = Layout.of(config);
        int h = config.hiddenSize();
        return List.of(
                ParameterSpec.normal(l.dense() + ".weight", h, h),
                ParameterSpec.zeros(l.dense() + ".bias", h),
                ParameterSpec.ones(l.layerNorm() + ".weight", h),
                ParameterSpec.zeros(l.layerNorm() + ".bias", h),
                ParameterSpec.zeros(l.bias(), config.vocabSize()));
    }

    /** Vocabulary logits: hidden (..., hidden) → (..., vocab). */
    public NDArray forward(NDArray hidden) {
        NDArray x = Functional.linear(hidden, parameters.get(layout.dense() + ".weight"),
                parameters.get(layout.dense() + ".bias"));
        x = layout.configActivation() ? config.activation().apply(x) : Functional.gelu(x);
        x = Functional.layerNorm(x, parameters.get(layout.layerNorm() + ".weight"),
                parameters.get(layout.layerNorm() + ".bias"), config.layerNormEps());
        return Functional.linear(x, encoder.wordEmbeddings(), parameters.get(layout.bias()));
    }
}
