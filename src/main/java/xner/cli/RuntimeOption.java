package xner.cli;

import picocli.CommandLine.Option;
import xner.infer.ModelRuntime;

/** {@code --runtime}: which runtime runs the model, libtorch (the weights) or ONNX Runtime (the exported files). */
final class RuntimeOption {
    @Option(names = "--runtime", defaultValue = "libtorch", paramLabel = "libtorch|onnx|onnx-int8",
            description = "What runs the model: libtorch (model.safetensors, default), onnx (ONNX Runtime: model.onnx, or "
                    + "model_quantized.onnx when it is the only one) or onnx-int8 (model_quantized.onnx); make the ONNX files "
                    + "with xner export. ONNX needs no libtorch; threads: XNER_THREADS as for libtorch.")
    String runtime;

    ModelRuntime runtime() {
        return ModelRuntime.parse(runtime, "--runtime");
    }
}
