package xner.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import xner.XnerInputException;

/**
 * Where libtorch keeps a model's tensors: the CPU (the default) or a CUDA GPU, chosen once per process (the
 * command line's {@code --device}) before a model loads.
 *
 * <p>Every tensor of a model is made in its {@link Parameters}' manager or in a scope opened under it (a step, a
 * forward pass), and a scope makes its arrays on its manager's device: so the manager that
 * {@link Parameters#create()} opens is the one place the choice has to reach. Host data (token ids, labels) is
 * copied there as it becomes an array, results are copied back as they are read. DJL's own default would be the
 * first GPU whenever its native library sees one; xner stays on the CPU unless asked.
 *
 * <p>The PyTorch library xner ships is DJL's CPU build. A GPU also needs libtorch's CUDA build and an NVIDIA
 * driver (the README's "On a GPU"); without them {@link #use} says so instead of failing somewhere in libtorch.
 */
public final class TensorDevice {
    private static final Pattern SPEC = Pattern.compile("(cpu|gpu|cuda)(?::(\\d+))?");
    private static volatile Device current = Device.cpu();

    private TensorDevice() {}

    /** The device of models loaded from now on: the CPU unless {@link #use} chose another. */
    public static Device current() {
        return current;
    }

    /**
     * Makes {@code spec} the device of models loaded from now on: {@code cpu}, {@code gpu} (the first GPU) or
     * {@code gpu:N} ({@code cuda} is read as {@code gpu}). A GPU must be one libtorch sees.
     *
     * @param option what to name in messages, e.g. {@code --device}
     */
    public static Device use(String spec, String option) {
        Device device = parse(spec, option);
        if (device.isGpu()) requireVisible(device, option);
        current = device;
        return device;
    }

    /** Whether {@code spec} names the CPU; an error naming {@code option} when it names no device. */
    public static boolean parseIsCpu(String spec, String option) {
        return !parse(spec, option).isGpu();
    }

    /** The device {@code spec} names, unchecked. */
    static Device parse(String spec, String option) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new XnerInputException(option + ": \"" + spec + "\" is not a device; use cpu, gpu or gpu:N");
        }
        if (m.group(1).equals("cpu")) {
            if (m.group(2) != null) throw new XnerInputException(option + ": \"" + spec + "\": the CPU has no number; use cpu");
            return Device.cpu();
        }
        return Device.gpu(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    private static void requireVisible(Device gpu, String option) {
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        if (gpu.getDeviceId() < gpus) return;
        String seen = gpus == 0 ? "libtorch sees no GPU" : "libtorch sees " + gpus + " GPU" + (gpus == 1 ? "" : "s")
                + " (gpu:0" + (gpus > 1 ? " to gpu:" + (gpus - 1) : "") + ")";
        throw new XnerInputException(option + " " + (gpu.getDeviceId() == 0 ? "gpu" : "gpu:" + gpu.getDeviceId()) + ": "
                + seen + " (PyTorch " + engine.getVersion() + ", " + (gpus == 0 ? "most likely DJL's CPU build, which xner "
                + "ships" : "CUDA build") + "). A GPU needs an NVIDIA driver and libtorch's CUDA build: see the README's "
                + "\"On a GPU\"; or leave " + option + " out to run on the CPU.");
    }
}
