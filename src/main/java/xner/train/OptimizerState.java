package xner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xner.model.Parameters;
import xner.model.weights.SafetensorsReader;
import xner.model.weights.SafetensorsWriter;

/**
 * AdamW's two moments for every trained parameter, kept in the parameters' scope, saved with a checkpoint as
 * {@code optimizer.safetensors} ({@code exp_avg.<name>}, {@code exp_avg_sq.<name>}, as PyTorch names them).
 */
final class OptimizerState {
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();

    /** Zero moments for each named parameter. */
    static OptimizerState zeros(Parameters parameters, List<String> names) {
        OptimizerState state = new OptimizerState();
        NDManager manager = parameters.manager();
        for (String name : names) {
            NDArray p = parameters.get(name);
            state.firstMoments.put(name, manager.zeros(p.getShape()));
            state.secondMoments.put(name, manager.zeros(p.getShape()));
        }
        return state;
    }

    /** The moments saved by {@link #save}, for the same parameters. */
    static OptimizerState read(Path file, Parameters parameters, List<String> names) {
        OptimizerState state = new OptimizerState();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (String name : names) {
                state.firstMoments.put(name, reader.read(parameters.manager(), "exp_avg." + name));
                state.secondMoments.put(name, reader.read(parameters.manager(), "exp_avg_sq." + name));
            }
        }
        return state;
    }

    NDArray first(String name) {
        return firstMoments.get(name);
    }

    NDArray second(String name) {
        return secondMoments.get(name);
    }

    void save(Path file) throws IOException {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        firstMoments.forEach((n, a) -> tensors.add(Parameters.tensor("exp_avg." + n, a)));
        secondMoments.forEach((n, a) -> tensors.add(Parameters.tensor("exp_avg_sq." + n, a)));
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
    }
}
