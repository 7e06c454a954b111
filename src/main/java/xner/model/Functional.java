package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

/**
 * The layers of the encoder as functions of their input and parameter arrays, as {@code torch.nn.functional}.
 *
 * <p>Every function takes the activation first: libtorch results join the first operand's manager, so a
 * step-scoped input keeps every result in the step's scope, never in the parameters' (STACK.md).
 */
final class Functional {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Functional() {}

    /** x·Wᵀ + b, as {@code nn.Linear}: x (..., in), weight (out, in), bias (out) → (..., out). */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** LayerNorm over the last axis with a learned scale and shift: x (..., n), weight (n), bias (n). */
    static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias, double eps) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return LayerNorm.layerNorm(x, last, weight, bias, (float) eps).singletonOrThrow();
    }

    /** Rows of a table: ids (...) of integers, table (n, d) → (..., d). */
    static NDArray embedding(NDArray ids, NDArray table) {
        // DJL's embedding throws on a null sparse format (STACK.md)
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Dropout with probability p while training (survivors scaled by 1/(1-p)); the input itself otherwise. */
    static NDArray dropout(NDArray x, double p, boolean training) {
        if (!training || p == 0) return x;
        return Dropout.dropout(x, (float) p, true).singletonOrThrow();
    }

    /**
     * The exact GELU, 0.5·x·(1 + erf(x/√2)): libtorch's {@code gelu} with its default {@code approximate="none"},
     * which DJL calls ({@code FunctionalTest} pins the value at 1 to the erf form).
     */
    static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** The tanh approximation of GELU: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    static NDArray geluTanh(NDArray x) {
        NDArray inner = x.pow(3).mul(0.044715f).add(x).mul((float) SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(inner.tanh().add(1f));
    }
}
