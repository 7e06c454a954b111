package xner.cli;

import java.util.List;
import picocli.CommandLine.Option;
import xner.XnerInputException;
import xner.infer.ModelRuntime;
import xner.model.TensorDevice;

/** {@code --device}: where libtorch keeps the model's tensors, the CPU (default) or a CUDA GPU. */
final class DeviceOption {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu[:N]",
            description = "Where libtorch runs the model: cpu (default) or gpu, gpu:N. A GPU needs libtorch's CUDA build "
                    + "(README, \"On a GPU\"); without one this stops with a message.")
    String device;

    /** Makes {@code --device} the device of every model loaded from now on; call it before the first loads. */
    void use() {
        TensorDevice.use(device, "--device");
    }

    /** {@link #use()} for a command whose model may run in ONNX Runtime, whose bundled build runs on the CPU only. */
    void use(List<ModelRuntime> runtimes) {
        boolean cpu = TensorDevice.parseIsCpu(device, "--device");
        if (!cpu && runtimes.stream().anyMatch(r -> r != ModelRuntime.LIBTORCH)) {
            throw new XnerInputException("--device " + device + ": the ONNX Runtime xner ships is its CPU build; a GPU runs "
                    + "the model with --runtime libtorch");
        }
        if (runtimes.contains(ModelRuntime.LIBTORCH)) use();
    }
}
