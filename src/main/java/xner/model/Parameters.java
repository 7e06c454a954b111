package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import xner.model.weights.SafetensorsWriter;
import xner.model.weights.WeightReader;

/**
 * A model's parameters by Hugging Face name, owned with the {@link NDManager} that holds them.
 *
 * <p>Work on the parameters opens a scope under {@link #manager()} per step or call; arrays made in the
 * scope die with it, the parameters live until {@link #close()}.
 */
public final class Parameters implements AutoCloseable {
    // checkpoint names that are tied to another parameter or are buffers, not parameters: never "unused"
    private static final Pattern TIED_OR_BUFFER = Pattern.compile(
            "(.*\\.)?(cls\\.predictions\\.decoder\\.(weight|bias)|lm_head\\.decoder\\.(weight|bias)|vocab_projector\\.weight"
                    + "|embeddings\\.position_ids|embeddings\\.token_type_ids)");

    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    // bf16 copies of weights that record no gradient (inference): made once, dropped when a weight changes
    private final Map<String, NDArray> productCopies = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Precision precision;

    private Parameters(NDManager manager, Precision precision) {
        this.manager = manager;
        this.precision = precision;
    }

    /**
     * An empty set of parameters on the process's libtorch device ({@link TensorDevice#current()}: the CPU by
     * default), computing in the process's precision ({@link Precision#current()}: fp32 by default).
     */
    public static Parameters create() {
        return new Parameters(NDManager.newBaseManager(TensorDevice.current(), "PyTorch"), Precision.current());
    }

    /** The precision the model's matrix products run in. */
    public Precision precision() {
        return precision;
    }

    /** Makes the model's matrix products run in {@code p} from the next pass on; the weights stay fp32. */
    public void usePrecision(Precision p) {
        precision = p;
        dropProductCopies();
    }

    /**
     * Weight {@code name} as the matrix products of a pass in {@code scope} take it: the fp32 parameter itself,
     * or in bf16 a bf16 copy. A weight being trained (it records a gradient) is cast at every use, in
     * {@code scope}, as autocast does, so its gradient flows back to the fp32 weight; a weight that records no
     * gradient is fixed, and its copy is made once and kept with the parameters (half the weight's memory).
     */
    public NDArray forProducts(String name, NDManager scope) {
        NDArray weight = get(name);
        if (precision == Precision.FP32) return weight;
        if (weight.hasGradient()) {
            NDArray copy = Bfloat16.of(weight);
            copy.attach(scope); // a cast of a parameter joins the parameters' manager otherwise: a leak per step
            return copy;
        }
        return productCopies.computeIfAbsent(name, n -> Bfloat16.of(weight));
    }

    /** The manager owning every parameter; open per-step scopes with {@code manager().newSubManager()}. */
    public NDManager manager() {
        return manager;
    }

    /** The parameter of this name. */
    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter \"" + name + "\"; closest: "
                    + WeightReader.closest(name, arrays.keySet(), 3));
        }
        return a;
    }

    /** Whether a parameter of this name exists. */
    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /** Parameter names in the order they were added. */
    public Set<String> names() {
        return Collections.unmodifiableSet(arrays.keySet());
    }

    /** Total number of scalars. */
    public long size() {
        return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /**
     * Loads the parameters {@code specs} describe from a checkpoint, and initialises those it lacks as
     * transformers does (drawing from {@code random}).
     *
     * <p>A name is looked up as given, then without the body's prefix ({@code bert.}, {@code roberta.}: a
     * checkpoint of the bare body), then with TensorFlow-era {@code gamma}/{@code beta} for a LayerNorm's
     * {@code weight}/{@code bias}.
     *
     * @throws xner.XnerInputException when a tensor has another shape than the spec's
     */
    public LoadReport load(WeightReader weights, List<ParameterSpec> specs, String prefix, double initializerRange,
            Random random) {
        Set<String> used = new HashSet<>();
        List<String> initialised = new ArrayList<>();
        for (ParameterSpec spec : specs) {
            String found = null;
            for (String candidate : candidates(spec.name(), prefix)) {
                if (weights.contains(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                put(spec.name(), initial(spec, initializerRange, random));
                initialised.add(spec.name());
                continue;
            }
            if (!weights.shape(found).equals(spec.shape())) throw weights.shapeMismatch(found, spec.shape());
            put(spec.name(), weights.read(manager, found));
            used.add(found);
        }
        List<String> unused = weights.names().stream()
                .filter(n -> !used.contains(n) && !TIED_OR_BUFFER.matcher(n).matches())
                .toList();
        return new LoadReport(weights.file().toString(), initialised, unused);
    }

    /** Initialises every parameter of {@code specs} afresh, as transformers' {@code _init_weights}. */
    public void initialise(List<ParameterSpec> specs, double initializerRange, Random random) {
        for (ParameterSpec spec : specs) put(spec.name(), initial(spec, initializerRange, random));
    }

    /** Turns gradient recording on for the parameters {@code which} selects, off for the others. */
    public void requireGradients(Predicate<String> which) {
        arrays.forEach((name, a) -> a.setRequiresGradient(which.test(name)));
        dropProductCopies();
    }

    /**
     * A parameter's accumulated gradient as an array of {@code step} (the handle would otherwise join the
     * parameters' manager and outlive the step).
     */
    public NDArray gradient(NDManager step, String name) {
        NDArray gradient = get(name).getGradient();
        gradient.attach(step);
        return gradient;
    }

    /**
     * Sets every recorded gradient to zero (libtorch accumulates gradients across backward passes), in place
     * as g - g: a NaN gradient stays NaN, but a step that made one has already failed. ({@code NDArray.set}
     * would clear it too, but leaves an array behind in the parameters' manager at every call.)
     */
    public void zeroGradients() {
        for (NDArray a : arrays.values()) {
            if (!a.hasGradient()) continue;
            try (NDArray gradient = a.getGradient()) {
                gradient.subi(gradient);
            }
        }
    }

    /**
     * Sets every recorded gradient to zero, NaN and infinities included (zeroGradients keeps those): after a
     * step whose gradient was not finite, before it is computed again. Rare, so the small arrays the masked
     * fill leaves in the parameters' manager do not matter.
     */
    public void resetGradients() {
        for (NDArray a : arrays.values()) {
            if (!a.hasGradient()) continue;
            try (NDArray gradient = a.getGradient(); NDArray nan = gradient.isNaN(); NDArray infinite = gradient.isInfinite()) {
                gradient.set(nan, 0f);
                gradient.set(infinite, 0f);
                gradient.subi(gradient);
            }
        }
    }

    /** Writes every parameter to a safetensors file, in name order. */
    public void save(Path file) throws IOException {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        arrays.forEach((name, a) -> tensors.add(tensor(name, a)));
        tensors.sort(java.util.Comparator.comparing(SafetensorsWriter.Tensor::name));
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
    }

    /**
     * A float32 libtorch tensor to write, copied out a chunk at a time rather than whole: a whole copy of each tensor
     * of a checkpoint (2.1 GB in all) was Java garbage that grew the heap, resident, for the rest of the run.
     */
    public static SafetensorsWriter.Tensor tensor(String name, NDArray array) {
        return new SafetensorsWriter.Tensor(name, array.getShape(), (from, count) -> {
            try (NDArray flat = array.reshape(-1); NDArray part = flat.get(new NDIndex("{}:{}", from, from + count))) {
                return part.toFloatArray();
            }
        });
    }

    /** Frees every parameter and every scope still open under {@link #manager()}. */
    @Override
    public void close() {
        manager.close();
    }

    /** Replaces parameter {@code name} by {@code values} of {@code shape} (a classifier head resized to other labels). */
    public void replace(String name, float[] values, Shape shape) {
        if (!arrays.containsKey(name)) throw new IllegalArgumentException("no parameter " + name);
        put(name, manager.create(values, shape));
    }

    private void put(String name, NDArray array) {
        NDArray old = arrays.put(name, array);
        if (old != null) old.close();
        array.setName(name);
        NDArray copy = productCopies.remove(name);
        if (copy != null) copy.close();
    }

    private void dropProductCopies() {
        productCopies.values().forEach(NDArray::close);
        productCopies.clear();
    }

    private NDArray initial(ParameterSpec spec, double range, Random random) {
        Shape shape = spec.shape();
        return switch (spec.init()) {
            case ZEROS -> manager.zeros(shape);
            case ONES -> manager.ones(shape);
            case NORMAL -> {
                float[] values = new float[Math.toIntExact(shape.size())];
                for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * range);
                if (spec.paddingRow() >= 0) {
                    int width = (int) shape.get(1);
                    java.util.Arrays.fill(values, spec.paddingRow() * width, (spec.paddingRow() + 1) * width, 0f);
                }
                yield manager.create(values, shape);
            }
        };
    }

    private static List<String> candidates(String name, String prefix) {
        List<String> names = new ArrayList<>(List.of(name));
        if (prefix != null && name.startsWith(prefix + ".")) names.add(name.substring(prefix.length() + 1));
        for (String n : List.copyOf(names)) {
            if (n.contains("LayerNorm.weight")) names.add(n.replace("LayerNorm.weight", "LayerNorm.gamma"));
            if (n.contains("LayerNorm.bias")) names.add(n.replace("LayerNorm.bias", "LayerNorm.beta"));
        }
        return names;
    }
}
