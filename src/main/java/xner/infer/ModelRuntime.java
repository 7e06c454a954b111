package xner.infer;

import java.nio.file.Path;
import xner.XnerInputException;
import xner.model.LogitsModel;
import xner.onnx.OnnxTokenClassifier;
import xner.model.TokenClassifier;

/** Which runtime runs the model: {@code --runtime libtorch|onnx|onnx-int8}. */
public enum ModelRuntime {
    /** libtorch through DJL, from {@code model.safetensors}: the default, and what training runs. */
    LIBTORCH("libtorch"),
    /** ONNX Runtime from {@code model.onnx}, or {@code model_quantized.onnx} when the folder has only that. */
    ONNX("onnx"),
    /** ONNX Runtime from {@code model_quantized.onnx} (int8 weights). */
    ONNX_INT8("onnx-int8");

    private final String wireName;

    ModelRuntime(String wireName) {
        this.wireName = wireName;
    }

    /** The name the options take. */
    public String wireName() {
        return wireName;
    }

    /** The model of folder {@code dir} on this runtime. */
    public LogitsModel load(Path dir) {
        return switch (this) {
            case LIBTORCH -> TokenClassifier.load(dir);
            case ONNX -> OnnxTokenClassifier.load(dir, null);
            case ONNX_INT8 -> OnnxTokenClassifier.load(dir, OnnxTokenClassifier.INT8_FILE);
        };
    }

    /** The runtime an option names; {@code option} names it in the message. */
    public static ModelRuntime parse(String name, String option) {
        for (ModelRuntime r : values()) if (r.wireName.equals(name)) return r;
        throw new XnerInputException(option + ": expected libtorch, onnx or onnx-int8, got \"" + name + "\"");
    }
}
