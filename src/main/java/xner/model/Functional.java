package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
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

    /**
     * x·Wᵀ + b with weight and bias from {@code parameters}, in their precision, as autocast's {@code linear}: in
     * bf16 input, weight and bias are cast to bf16 (the product accumulates in fp32) and the result is bf16.
     */
    static NDArray linear(NDArray x, Parameters parameters, String weight, String bias) {
        NDManager scope = x.getManager();
        return linear(parameters.precision().forProducts(x), parameters.forProducts(weight, scope),
                parameters.forProducts(bias, scope));
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

    /**
     * Dropout with probability p while training (survivors scaled by 1/(1-p)); the input itself otherwise. The
     * mask comes from uniform numbers compared with p, in one TorchScript function: libtorch's own dropout draws
     * a Bernoulli number per element, 2.4 times slower here (3.9 against 1.6 ms for a 24 × 30 × 768 batch on the
     * Xeon), and dropout was 15 % of a bf16 training step.
     */
    static NDArray dropout(NDArray x, double p, boolean training) {
        if (!training || p == 0) return x;
        return DROPOUTS.computeIfAbsent(p, Functional::dropoutFunction).apply(x);
    }

    private static final java.util.Map<Double, TorchScriptFunction> DROPOUTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static TorchScriptFunction dropoutFunction(double p) {
        // the mask in x's type (bf16 or fp32); the uniform numbers in fp32, fine enough to compare with any p
        return new TorchScriptFunction("dropout-" + p, """
                keep = torch.ge(torch.rand_like(x, dtype=6), %s)
                return torch.mul(torch.mul(x, torch.to(keep, ops.prim.dtype(x))), %s)
                """.formatted(Double.toString(p), Double.toString(1 / (1 - p))));
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
        NDArray cube = x.mul(x).mul(x); // as libtorch's pow(x, 3)
        NDArray inner = times(times(cube, 0.044715).add(x), SQRT_2_OVER_PI);
        return times(x, 0.5).mul(inner.tanh().add(1f));
    }

    /** max(x, 0), as {@code nn.ReLU}. */
    static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /** x · factor, safe under autograd ({@link #scalar}). */
    static NDArray times(NDArray x, double factor) {
        try (NDArray f = scalar(x, factor)) {
            return x.mul(f);
        }
    }

    /** x / divisor, safe under autograd ({@link #scalar}). */
    static NDArray dividedBy(NDArray x, double divisor) {
        try (NDArray d = scalar(x, divisor)) {
            return x.div(d);
        }
    }

    /**
     * A 0-d array of {@code value} in {@code like}'s type and manager, whose memory libtorch owns.
     *
     * <p>Why not {@code x.mul(0.5f)}: DJL turns a Java number into a tensor over a Java direct buffer and
     * closes it right after the op, but autograd keeps that tensor for the backward pass (the factor of a mul
     * or div, the exponent of a pow, the bound of a maximum). Once the garbage collector frees the buffer, the
     * backward pass reads freed memory: NaN, infinite or slightly wrong gradients beside a correct loss, more
     * often the more often the collector runs (issue 12, item 8: runs of one seed that did not agree).
     * {@code torch::full} allocates in libtorch, whose reference count keeps the value while the graph needs it.
     * Ops on arrays that need no gradient (inference, masks, the optimiser) may take Java numbers.
     */
    static NDArray scalar(NDArray like, double value) {
        // a bf16 array's type is UNKNOWN to DJL (Bfloat16): an fp32 0-d factor keeps a product in bf16 all the same
        DataType type = like.getDataType() == DataType.UNKNOWN ? DataType.FLOAT32 : like.getDataType();
        return like.getManager().full(new Shape(), (float) value, type);
    }
}
