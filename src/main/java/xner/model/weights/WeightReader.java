package xner.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import xner.XnerInputException;

/**
 * A file of named float tensors: a TensorFlow tensor bundle ({@link TensorBundleReader}), a safetensors file
 * ({@link SafetensorsReader}), PyTorch's {@code torch.save} file ({@link PyTorchReader}), or a checkpoint in shards of
 * either of the last two ({@link ShardedWeights}).
 *
 * <p>Asking for a tensor the file lacks throws an {@link XnerInputException} naming the tensor, the file and
 * the closest names the file has.
 */
public interface WeightReader extends AutoCloseable {
    /** The file the tensors are read from (for messages). */
    Path file();

    /** Every tensor name, in the file's order. */
    Set<String> names();

    /** The shape of a tensor. */
    Shape shape(String name);

    /** A tensor's values as float32, row-major. */
    float[] read(String name);

    /** A tensor as an array of {@code manager}; float32. */
    default NDArray read(NDManager manager, String name) {
        return manager.create(read(name), shape(name));
    }

    /** Whether the file holds a tensor of this name. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /** Closes the file; reading afterwards fails. */
    @Override
    void close();

    /** The error for a missing tensor: its name, the file, and the closest names present. */
    default XnerInputException missing(String name) {
        List<String> close = closest(name, names(), 3);
        return new XnerInputException(file() + ": no tensor \"" + name + "\""
                + (close.isEmpty() ? " (the file holds no tensors)" : "; closest names present: " + close));
    }

    /** The error for a tensor of the wrong shape: both shapes. */
    default XnerInputException shapeMismatch(String name, Shape expected) {
        return new XnerInputException(file() + ": tensor \"" + name + "\" has shape " + shape(name)
                + ", the model expects " + expected + " (does config.json match these weights?)");
    }

    /** The {@code n} names nearest to {@code name} by edit distance. */
    static List<String> closest(String name, Collection<String> names, int n) {
        return names.stream()
                .sorted(Comparator.comparingInt((String s) -> editDistance(name, s)).thenComparing(s -> s))
                .limit(n)
                .toList();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
