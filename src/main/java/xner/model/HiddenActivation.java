package xner.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The feed-forward activation a config's {@code hidden_act} names, with Hugging Face's meaning of each name. */
public enum HiddenActivation {
    /** {@code gelu}: the exact form 0.5·x·(1 + erf(x/√2)), as Hugging Face and the reference compute it. */
    GELU(List.of("gelu")) {
        @Override
        NDArray apply(NDArray x) {
            return Functional.gelu(x);
        }
    },
    /** {@code gelu_new}, {@code gelu_pytorch_tanh}: the tanh approximation of Google's TensorFlow graph. */
    GELU_TANH(List.of("gelu_new", "gelu_pytorch_tanh")) {
        @Override
        NDArray apply(NDArray x) {
            return Functional.geluTanh(x);
        }
    },
    /** {@code relu}. */
    RELU(List.of("relu")) {
        @Override
        NDArray apply(NDArray x) {
            return Functional.relu(x);
        }
    };

    private final List<String> names;

    HiddenActivation(List<String> names) {
        this.names = names;
    }

    /** Applies the activation element-wise; the result lives in {@code x}'s manager. */
    abstract NDArray apply(NDArray x);

    /** The activation a {@code hidden_act} value names. */
    public static HiddenActivation of(String name) {
        for (HiddenActivation a : values()) if (a.names.contains(name)) return a;
        throw new IllegalArgumentException("unknown hidden_act " + name + " (known: " + knownNames() + ")");
    }

    static boolean isKnown(String name) {
        return Arrays.stream(values()).anyMatch(a -> a.names.contains(name));
    }

    static String knownNames() {
        return Arrays.stream(values()).flatMap(a -> a.names.stream()).collect(Collectors.joining(", "));
    }
}
