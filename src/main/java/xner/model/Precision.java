package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import xner.XnerInputException;

/**
 * The number type a model's matrix products run in, with the semantics of PyTorch's CPU autocast: in
 * {@link #BF16} the linear layers and the two attention products (q·kᵀ and attention·v) take bfloat16 inputs and
 * accumulate in fp32 (oneDNN; AMX-BF16 on Intel Xeons, AVX512_BF16 on AMD Zen 4/5); the embeddings' sum,
 * LayerNorm, softmax, the loss, gradient clipping, AdamW and the master weights stay fp32, and gradients reach
 * the fp32 weights through the casts. Where each cast happens is written in the model code
 * ({@link BertLayer}, {@link TokenClassifier}), once.
 *
 * <p>The process's default ({@link #current()}) is what models loaded from now on compute in, set once by the
 * command line's {@code --precision}, as {@link TensorDevice} is for {@code --device}; a model's own
 * {@link Parameters#usePrecision} overrides it (training takes the precision from its config).
 */
public enum Precision {
    @SerializedName("fp32") FP32("fp32"),
    @SerializedName("bf16") BF16("bf16");

    /** The CPU flags of bf16 units: Intel's AMX tiles, or AVX-512's bf16 dot products (Intel, AMD Zen 4/5). */
    private static final Set<String> BF16_FLAGS = Set.of("amx_bf16", "avx512_bf16");
    private static volatile Precision current = FP32;

    private final String label;

    Precision(String label) {
        this.label = label;
    }

    /** {@code fp32} or {@code bf16}, as the command line and {@code xner-run.json} write it. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /** The precision of models loaded from now on: fp32 unless {@link #use} chose another. */
    public static Precision current() {
        return current;
    }

    /** Makes {@code precision} the default of models loaded from now on. */
    public static void use(Precision precision) {
        current = precision;
    }

    /**
     * The precision {@code spec} names: {@code fp32}, {@code bf16}, or {@code auto} (bf16 where the CPU has bf16
     * units, fp32 elsewhere). bf16 on a CPU without bf16 units is an error naming {@code option}: libtorch would
     * emulate it, slower than fp32.
     */
    public static Precision parse(String spec, String option) {
        return parse(spec, option, cpuFlags());
    }

    /** {@link #parse(String, String)} on a CPU with {@code flags}. */
    static Precision parse(String spec, String option, Set<String> flags) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        boolean units = hasBf16Units(flags);
        return switch (s) {
            case "fp32", "float32" -> FP32;
            case "auto" -> units ? BF16 : FP32;
            case "bf16", "bfloat16" -> {
                if (!units) {
                    throw new XnerInputException(option + " bf16: this CPU (" + cpuModel() + ") has no bf16 units (neither "
                            + "amx_bf16 nor avx512_bf16 in /proc/cpuinfo), so libtorch would emulate bf16 more slowly than "
                            + "it runs fp32; use " + option + " fp32 (or auto, which picks bf16 only where the units are)");
                }
                yield BF16;
            }
            default -> throw new XnerInputException(option + ": \"" + spec + "\" is not a precision; use fp32, bf16 or auto");
        };
    }

    /** Whether this CPU multiplies bf16 matrices in hardware (Linux's {@code /proc/cpuinfo} flags). */
    public static boolean cpuHasBf16Units() {
        return hasBf16Units(cpuFlags());
    }

    private static boolean hasBf16Units(Set<String> flags) {
        return flags.stream().anyMatch(BF16_FLAGS::contains);
    }

    /** The CPU's model name, as {@code lscpu} prints it, or "unknown". */
    public static String cpuModel() {
        return cpuinfoField("model name").orElse("unknown");
    }

    /** The CPU's flags, empty where {@code /proc/cpuinfo} cannot be read. */
    public static Set<String> cpuFlags() {
        return cpuinfoField("flags").map(f -> Set.of(f.trim().split("\\s+"))).orElse(Set.of());
    }

    private static java.util.Optional<String> cpuinfoField(String name) {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith(name) && l.contains(":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * This machine's rate of n×n matrix products in this precision through the libtorch and threads that run
     * models: the best of {@code repeats}, in GFLOP/s (2n³ operations each). The ceiling a pass in this precision
     * can be read against.
     */
    public double productGflops(int n, int repeats) {
        try (NDManager manager = NDManager.newBaseManager(TensorDevice.current(), "PyTorch")) {
            NDArray a = forProducts(manager.randomUniform(-1, 1, new Shape(n, n)));
            NDArray b = forProducts(manager.randomUniform(-1, 1, new Shape(n, n)));
            try (NDArray warm = a.matMul(b)) {
                warm.getShape(); // the first product sets up the library's kernels
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < Math.max(1, repeats); i++) {
                long started = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    best = Math.min(best, System.nanoTime() - started);
                }
            }
            return 2.0 * n * n * n / best;
        }
    }

    /**
     * {@code x} as a matrix product's input in this precision: a bf16 copy in {@link #BF16} (recorded by
     * autograd, in {@code x}'s scope), {@code x} itself in fp32.
     */
    NDArray forProducts(NDArray x) {
        return this == BF16 ? Bfloat16.of(x) : x;
    }

    /** {@code x} in fp32: the type of everything outside the products (a no-op in fp32). */
    static NDArray toFloat32(NDArray x) {
        return Bfloat16.toFloat32(x);
    }
}
