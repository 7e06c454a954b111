package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * XLM-RoBERTa's body ({@code XLMRobertaModel}, also RoBERTa's): parameters under {@code roberta.}; positions
 * are numbered after the padding id, counting only non-padding tokens, and padding tokens take the padding
 * row, as transformers' {@code create_position_ids_from_input_ids}. Checkpoints carry a single token type
 * ({@code type_vocab_size} 1).
 */
public final class XlmRobertaEncoder extends Encoder {
    static final String PREFIX = "roberta";

    XlmRobertaEncoder(BertConfig config, Parameters parameters) {
        super(config, parameters);
    }

    /** pad + cumsum(ids ≠ pad) at each token, pad at padding: (batch, seq). */
    @Override
    NDArray positionIds(NDManager step, NDArray inputIds) {
        int pad = config().padTokenId();
        NDArray notPadding = inputIds.neq(pad).toType(DataType.INT64, false);
        return notPadding.cumSum(1).mul(notPadding).add(pad);
    }

    /** Positions run from pad + 1 on, so pad + 1 rows of the table are never a token's. */
    @Override
    public int maxSequenceLength() {
        return config().maxPositionEmbeddings() - config().padTokenId() - 1;
    }
}
