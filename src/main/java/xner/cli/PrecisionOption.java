package xner.cli;

import java.util.List;
import picocli.CommandLine.Option;
import xner.XnerInputException;
import xner.infer.ModelRuntime;
import xner.model.Precision;

/** {@code --precision}: the number type of libtorch's matrix products, fp32 (default), bf16 or auto. */
final class PrecisionOption {
    /** What a command runs in when not told. */
    static final String DEFAULT = "fp32";

    @Option(names = "--precision", paramLabel = "fp32|bf16|auto",
            description = "The number type of the model's matrix products in libtorch: fp32 (default); bf16, as PyTorch's "
                    + "CPU autocast (products in bf16, weights, LayerNorm, softmax, loss and optimiser in fp32; needs a CPU "
                    + "with bf16 units: amx_bf16 or avx512_bf16); auto: bf16 where the CPU has them, fp32 elsewhere. "
                    + "Training that goes on from a checkpoint keeps the checkpoint's unless told.")
    String precision; // null: not given

    /** Whether the command line names a precision. */
    boolean given() {
        return precision != null;
    }

    /** The precision asked for, checked against the CPU, made the default of every model loaded from now on. */
    Precision use() {
        return use(precision == null ? DEFAULT : precision);
    }

    /**
     * The precision asked for or, when none is, {@code recorded} (what a run being continued was trained in) if there is
     * one, else the default; checked and made the default as {@link #use()}.
     */
    Precision useOr(java.util.Optional<Precision> recorded) {
        return use(precision != null ? precision : recorded.map(Precision::label).orElse(DEFAULT));
    }

    private static Precision use(String spec) {
        Precision p = Precision.parse(spec, "--precision");
        Precision.use(p);
        return p;
    }

    /** {@link #use()} for a command whose model may run in ONNX Runtime, which runs a file's own types (fp32 or int8). */
    Precision use(List<ModelRuntime> runtimes) {
        boolean asked = precision != null && (precision.trim().equalsIgnoreCase("bf16") || precision.trim().equalsIgnoreCase("bfloat16"));
        if (asked && !runtimes.contains(ModelRuntime.LIBTORCH) && Precision.cpuHasBf16Units()) {
            throw new XnerInputException("--precision bf16: ONNX Runtime runs the exported model's own types (model.onnx in "
                    + "fp32, model_quantized.onnx in int8); bf16 is for --runtime libtorch");
        }
        return use();
    }
}
