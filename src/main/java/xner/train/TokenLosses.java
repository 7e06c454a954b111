package xner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import xner.evaluate.SequenceLosses;
import xner.model.TokenClassifier;
import xner.tokenize.Tokenizer;

/**
 * The per-token view of a token classifier on labelled examples: run without gradients, it keeps for every
 * token its string, its predicted label and its cross-entropy, the chapter's {@code forward_pass_with_label}
 * mapped over a split.
 * The analysis of these arrays ({@link xner.evaluate.ErrorAnalysis}) needs no model.
 */
public final class TokenLosses {
    private TokenLosses() {}

    /**
     * One {@link SequenceLosses} per example, in the examples' order. Batches are formed of examples of similar
     * length; padding changes no logit of a real token.
     */
    public static List<SequenceLosses> compute(TokenClassifier model, List<Example> examples, Tokenizer tokenizer,
            int batchSize) {
        SequenceLosses[] out = new SequenceLosses[examples.size()];
        Batch.inLengthOrder(examples, batchSize, tokenizer.padId(), (batch, positions) -> {
            try (NDManager call = model.parameters().manager().newSubManager()) {
                Shape shape = new Shape(batch.size(), batch.length());
                NDArray logits = model.logits(call, call.create(batch.ids(), shape), call.create(batch.mask(), shape), false);
                float[] losses = TokenClassifier.tokenLosses(logits, call.create(batch.labels(), shape)).toFloatArray();
                long[] argmax = logits.argMax(-1).toLongArray();
                for (int row = 0; row < batch.size(); row++) {
                    Example e = batch.examples().get(row);
                    int length = e.length();
                    List<String> tokens = new ArrayList<>(length);
                    int[] predicted = new int[length];
                    float[] rowLosses = new float[length];
                    for (int t = 0; t < length; t++) {
                        tokens.add(tokenizer.idToToken(e.ids()[t]));
                        predicted[t] = (int) argmax[row * batch.length() + t];
                        rowLosses[t] = losses[row * batch.length() + t];
                    }
                    out[positions[row]] = new SequenceLosses(tokens, e.labels(), predicted, rowLosses);
                }
            }
        });
        return List.of(out);
    }
}
