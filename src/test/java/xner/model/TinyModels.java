package xner.model;

/** Configs of tiny random models (2 layers, hidden 8, 2 heads) for tests that need a whole model in milliseconds. */
final class TinyModels {
    static final int VOCAB = 30;

    private TinyModels() {}

    static BertConfig bert() {
        return BertConfig.defaults("bert").withSizes(VOCAB, 8, 2, 2, 16).withEmbeddingTables(16, 2);
    }

    /** XLM-R's shape: padding id 1, one token type, positions after the padding id, eps 1e-5. */
    static BertConfig xlmRoberta() {
        return BertConfig.defaults("xlm-roberta").withSizes(VOCAB, 8, 2, 2, 16).withEmbeddingTables(18, 1)
                .toBuilder().layerNormEps(1e-5).build();
    }
}
