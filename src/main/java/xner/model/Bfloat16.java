package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Casts between fp32 and bfloat16 that autograd records, which DJL 0.35 cannot ask libtorch for: its table of
 * number types stops before bfloat16 ({@code toType(DataType.BFLOAT16)} aborts the process in native code), and
 * its {@code toType} returns an array cut off from autograd (a gradient never flows back through it). libtorch
 * itself casts fine, so each cast is a one-line {@link TorchScriptFunction}, {@code torch.to(x, dtype)}: the
 * gradient of a bf16 copy comes back to its fp32 array as fp32.
 *
 * <p>DJL reports a bf16 array's type as {@link DataType#UNKNOWN}; nothing in xner reads a bf16 array's values
 * from Java.
 */
final class Bfloat16 {
    // TorchScript's serialized code names number types by code: 15 is torch.bfloat16, 6 torch.float32
    private static final TorchScriptFunction TO_BF16 = new TorchScriptFunction("to-bf16", "return torch.to(x, 15)");
    private static final TorchScriptFunction TO_FP32 = new TorchScriptFunction("to-fp32", "return torch.to(x, 6)");

    private Bfloat16() {}

    /** {@code x} as bfloat16, in {@code x}'s scope; {@code x} itself when it is not fp32 (already cast). */
    static NDArray of(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? TO_BF16.apply(x) : x;
    }

    /** {@code x} as fp32, in {@code x}'s scope; {@code x} itself when it is fp32. */
    static NDArray toFloat32(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : TO_FP32.apply(x);
    }
}
