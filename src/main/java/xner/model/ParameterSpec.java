package xner.model;

import ai.djl.ndarray.types.Shape;

/**
 * One parameter a model needs: its Hugging Face name, its shape and how a fresh one is initialised, as
 * transformers' {@code _init_weights} does it (weights N(0, initializer_range), biases 0, LayerNorm 1 and 0,
 * the padding row of an embedding 0).
 *
 * @param paddingRow the embedding row set to zero after a random start, or -1
 */
public record ParameterSpec(String name, Shape shape, Init init, int paddingRow) {
    /** How a parameter starts when no checkpoint provides it. */
    public enum Init { NORMAL, ZEROS, ONES }

    public ParameterSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("parameter name must not be blank");
        if (shape == null || shape.dimension() == 0) throw new IllegalArgumentException(name + ": shape missing");
        if (paddingRow >= 0 && (shape.dimension() != 2 || paddingRow >= shape.get(0))) {
            throw new IllegalArgumentException(name + ": padding row " + paddingRow + " outside " + shape);
        }
    }

    /** A weight drawn from N(0, initializer_range). */
    public static ParameterSpec normal(String name, long... shape) {
        return new ParameterSpec(name, new Shape(shape), Init.NORMAL, -1);
    }

    /** An embedding table drawn from N(0, initializer_range) whose padding row starts at zero. */
    public static ParameterSpec embedding(String name, int paddingRow, long rows, long width) {
        return new ParameterSpec(name, new Shape(rows, width), Init.NORMAL, paddingRow);
    }

    /** A bias (or LayerNorm shift) that starts at zero. */
    public static ParameterSpec zeros(String name, long... shape) {
        return new ParameterSpec(name, new Shape(shape), Init.ZEROS, -1);
    }

    /** A LayerNorm scale that starts at one. */
    public static ParameterSpec ones(String name, long... shape) {
        return new ParameterSpec(name, new Shape(shape), Init.ONES, -1);
    }
}
