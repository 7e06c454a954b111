package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * BERT's body ({@code BertModel}): parameters under {@code bert.}; token i takes position i; segment ids
 * select one of {@code type_vocab_size} token-type rows.
 */
public final class BertEncoder extends Encoder {
    static final String PREFIX = "bert";

    BertEncoder(BertConfig config, Parameters parameters) {
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
