package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * DistilBERT's body ({@code DistilBertModel}): parameters under {@code distilbert.}, layers under
 * {@code distilbert.transformer.layer.N} with their own module names ({@link BertLayer.Names#DISTILBERT}); token i
 * takes position i, as in BERT; no token types and no pooler.
 */
public final class DistilBertEncoder extends Encoder {
    static final String PREFIX = "distilbert";

    DistilBertEncoder(BertConfig config, Parameters parameters) {
        super(config, parameters);
    }

    /** Positions 0, 1, …, seq-1 for every sequence: (1, seq). */
    @Override
    NDArray positionIds(NDManager step, NDArray inputIds) {
        long seq = inputIds.getShape().get(1);
        return step.arange(0, (int) seq, 1, DataType.INT64).reshape(1, seq);
    }

    @Override
    public int maxSequenceLength() {
        return config().maxPositionEmbeddings();
    }
}
