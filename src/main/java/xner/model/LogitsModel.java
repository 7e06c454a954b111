package xner.model;

import xner.data.LabelSet;

/**
 * A fine-tuned token classifier as inference sees it: padded ids in, label logits out, on one runtime. Two
 * implementations: {@link TokenClassifier} (libtorch through DJL, also what training runs) and
 * {@link OnnxTokenClassifier} (ONNX Runtime, from the files {@code xner export} writes). Everything around the
 * forward pass (windows, batching, softmax, aggregation, scoring) is shared and never sees which one runs.
 *
 * <p>Implementations are safe for concurrent calls.
 */
public interface LogitsModel extends AutoCloseable {
    /** The labels of the head, in id order ({@code config.json}'s {@code id2label}). */
    LabelSet labels();

    /** The model's configuration (vocabulary size, body type, positions). */
    BertConfig config();

    /** The highest number of tokens one sequence may have. */
    int maxSequenceLength();

    /**
     * Label logits of a padded batch: ids and mask (rows, length) row-major, 1 for a token and 0 for padding →
     * (rows, length, labels) row-major. Token types are all 0 (one sentence per sequence).
     */
    float[] logits(int rows, int length, long[] ids, long[] mask);

    /** Which runtime and file this is, for messages and benchmark reports: {@code libtorch}, {@code onnx model.onnx}. */
    String runtime();

    @Override
    void close();
}
