package xner.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The AdamW update of {@code torch.optim.AdamW} (decoupled weight decay, bias-corrected moments, eps added
 * after the bias-corrected square root), in float as torch computes it, with the caller choosing each
 * parameter's weight decay (0 for biases and LayerNorm weights, as the chapter's Trainer does).
 *
 * <p>The update reads and writes libtorch's memory in place (direct buffers over the tensors' data) in one
 * pass per element: gradient × clipping scale, decay, both moments, the step, and the gradient set to zero
 * for the next backward. Done with libtorch operations it took about 14 passes per parameter, four of them
 * into fresh tensors the size of the parameter (each a page-faulting allocation), and some 2,800 JNI calls
 * a step. Parameters, gradients and moments are contiguous float tensors, so the buffers are the tensors.
 *
 * <p>On a GPU the tensors' memory is not the host's: there the same update runs as libtorch operations in place
 * ({@link #updateWithOperations}), torch's single-tensor AdamW op for op.
 *
 * <p>{@link #updateRows} updates only some rows of a matrix: the word embeddings, where a batch touches a
 * few hundred of 119,547 rows (STACK.md). On the rows it touches it computes exactly what the dense update
 * computes; untouched rows keep their values and moments (no decay, no momentum), as a lazy Adam does.
 */
public final class AdamW {
    /** Elements per task: large enough that scheduling is noise, small enough to share a layer among threads. */
    private static final int CHUNK = 1 << 18;
    private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1,
            Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors())));

    private final double beta1;
    private final double beta2;
    private final double eps;

    public AdamW(double beta1, double beta2, double eps) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0) {
            throw new IllegalArgumentException("bad AdamW settings: betas (" + beta1 + ", " + beta2 + "), eps " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** The chapter's optimiser: betas (0.9, 0.999), eps 1e-8. */
    public static AdamW standard() {
        return new AdamW(0.9, 0.999, 1e-8);
    }

    /**
     * One parameter to update: its gradient and moments have its shape, all contiguous float32.
     *
     * @param weightDecay decoupled weight decay of this parameter
     */
    public record Slot(NDArray param, NDArray grad, NDArray m, NDArray v, double weightDecay) { }

    /**
     * One AdamW step on {@code param} in place; the gradient is set to zero.
     *
     * @param step        unused: kept so callers read as before (nothing is allocated)
     * @param grad        the gradient, same shape as {@code param}
     * @param m           first moment, updated in place
     * @param v           second moment, updated in place
     * @param stepNumber  1-based count of updates so far, this one included (bias correction)
     */
    public void update(NDManager step, NDArray param, NDArray grad, NDArray m, NDArray v,
                       double learningRate, double weightDecay, long stepNumber) {
        update(List.of(new Slot(param, grad, m, v, weightDecay)), learningRate, 1, stepNumber);
    }

    /**
     * One AdamW step on every slot, in place: each gradient is first multiplied by {@code gradScale} (the
     * global-norm clipping's coefficient, 1 when not clipped), then the update of torch.optim.AdamW; each
     * gradient is left at zero, ready to accumulate the next backward pass.
     */
    public void update(List<Slot> slots, double learningRate, double gradScale, long stepNumber) {
        // torch turns Python numbers into the tensor's type (float) before the element-wise kernels
        float scale = (float) gradScale;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float epsilon = (float) eps;
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, stepNumber));
        float minusStepSize = (float) -(learningRate / (1 - Math.pow(beta1, stepNumber)));
        List<Range> ranges = new ArrayList<>();
        for (Slot s : slots) {
            if (!s.param().getDevice().equals(Device.cpu())) {
                updateWithOperations(s, learningRate, scale, stepNumber);
                continue;
            }
            long size = s.param().getShape().size();
            for (String what : List.of("gradient", "first moment", "second moment")) {
                NDArray a = what.equals("gradient") ? s.grad() : what.equals("first moment") ? s.m() : s.v();
                if (a.getShape().size() != size) {
                    throw new IllegalArgumentException(what + " of shape " + a.getShape() + " for a parameter of shape "
                            + s.param().getShape());
                }
            }
            // torch multiplies by (1 - lr·wd) also when wd is 0: a product by 1 changes nothing
            Buffers b = new Buffers(floats(s.param()), floats(s.grad()), floats(s.m()), floats(s.v()),
                    (float) (1 - learningRate * s.weightDecay()));
            for (long from = 0; from < size; from += CHUNK) ranges.add(new Range(b, (int) from, (int) Math.min(size, from + CHUNK)));
        }
        Runnable all = () -> IntStream.range(0, ranges.size()).parallel().forEach(i -> {
            Range r = ranges.get(i);
            step(r.buffers, r.from, r.to, scale, b1, b2, oneMinusB1, oneMinusB2, epsilon, bc2Sqrt, minusStepSize);
        });
        if (ranges.size() == 1) all.run(); else POOL.submit(all).join();
    }

    /**
     * The update of {@link #step} as libtorch operations on the tensors where they are (a GPU's memory), in place:
     * torch.optim.AdamW's single-tensor code, with the gradient scaled first and zeroed last. Every number is
     * rounded to float as in {@link #step}. No autograd is recording here, so Java numbers in operations are safe.
     */
    void updateWithOperations(Slot s, double learningRate, float gradScale, long stepNumber) {
        NDArray p = s.param();
        NDArray g = s.grad();
        NDArray m = s.m();
        NDArray v = s.v();
        if (gradScale != 1f) g.muli(gradScale);
        p.muli((float) (1 - learningRate * s.weightDecay()));
        try (NDArray mPart = g.mul((float) (1 - beta1)); NDArray square = g.mul(g)) {
            m.muli((float) beta1).addi(mPart);
            v.muli((float) beta2).addi(square.muli((float) (1 - beta2)));
        }
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, stepNumber));
        float minusStepSize = (float) -(learningRate / (1 - Math.pow(beta1, stepNumber)));
        try (NDArray denominator = v.sqrt().divi(bc2Sqrt).addi((float) eps); NDArray ratio = m.div(denominator)) {
            p.addi(ratio.muli(minusStepSize));
        }
        g.subi(g); // finite here: a step whose gradient is not finite never reaches the update
    }

    /**
     * torch.optim.AdamW (single-tensor) on elements [from, to), then the gradient zeroed:
     * p ← p·(1 − lr·wd); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − lr/bc₁ · m / (√v / √bc₂ + ε).
     */
    private static void step(Buffers b, int from, int to, float scale, float b1, float b2, float oneMinusB1,
                             float oneMinusB2, float eps, float bc2Sqrt, float minusStepSize) {
        FloatBuffer p = b.param;
        FloatBuffer g = b.grad;
        FloatBuffer m = b.m;
        FloatBuffer v = b.v;
        float decay = b.decay;
        for (int i = from; i < to; i++) {
            float gi = g.get(i) * scale;
            float pi = p.get(i) * decay;
            float mi = m.get(i) * b1 + oneMinusB1 * gi;
            float vi = v.get(i) * b2 + oneMinusB2 * gi * gi;
            float denominator = (float) Math.sqrt(vi) / bc2Sqrt + eps; // a float's square root, rounded once
            m.put(i, mi);
            v.put(i, vi);
            p.put(i, pi + minusStepSize * mi / denominator);
            g.put(i, 0f);
        }
    }

    /**
     * One AdamW step on the rows {@code rows} of a matrix, in place.
     *
     * @param rows     the distinct row ids touched (int64, in the step scope)    // (rows)
     * @param rowGrad  the gradient of those rows, scaled by {@code gradScale} first, then zeroed // (rows, columns)
     */
    public void updateRows(NDManager step, NDArray param, NDArray rows, NDArray rowGrad, NDArray m, NDArray v,
                           double learningRate, double weightDecay, double gradScale, long stepNumber) {
        NDIndex index = new NDIndex("{}", rows);
        NDArray paramRows = inScope(step, param.get(index));
        NDArray mRows = inScope(step, m.get(index));
        NDArray vRows = inScope(step, v.get(index));
        update(List.of(new Slot(paramRows, rowGrad, mRows, vRows, weightDecay)), learningRate, gradScale, stepNumber);
        param.set(index, paramRows);
        m.set(index, mRows);
        v.set(index, vRows);
    }

    /** {@link #updateRows(NDManager, NDArray, NDArray, NDArray, NDArray, NDArray, double, double, double, long)} unclipped. */
    public void updateRows(NDManager step, NDArray param, NDArray rows, NDArray rowGrad, NDArray m, NDArray v,
                           double learningRate, double weightDecay, long stepNumber) {
        updateRows(step, param, rows, rowGrad, m, v, learningRate, weightDecay, 1, stepNumber);
    }

    /**
     * The array's own memory as floats. DJL hands out the tensor's data for a contiguous CPU tensor, and a
     * fresh contiguous copy otherwise, where an update would be lost. Every array here is contiguous
     * (parameters and moments are made whole, a gradient follows its parameter's layout, gathered rows are
     * fresh), and this checks it: two calls must give the same memory, which two copies would not.
     */
    static FloatBuffer floats(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) throw new IllegalArgumentException("AdamW needs float32, not " + a.getDataType());
        ByteBuffer bytes = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (!bytes.isDirect() || bytes.capacity() != a.getShape().size() * Float.BYTES) {
            throw new IllegalStateException("libtorch did not expose the memory of " + a.getName() + " " + a.getShape());
        }
        if (bytes.capacity() > 0) {
            ByteBuffer again = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
            int kept = bytes.getInt(0);
            bytes.putInt(0, ~kept);
            boolean same = again.getInt(0) == ~kept;
            bytes.putInt(0, kept);
            if (!same) throw new IllegalStateException("not contiguous, so not updatable in place: " + a.getName() + " " + a.getShape());
        }
        return bytes.asFloatBuffer();
    }

    /** Results join their first operand's scope; a temporary made from a parameter must move to the step's. */
    private static NDArray inScope(NDManager step, NDArray temporary) {
        temporary.attach(step);
        return temporary;
    }

    private record Buffers(FloatBuffer param, FloatBuffer grad, FloatBuffer m, FloatBuffer v, float decay) { }

    private record Range(Buffers buffers, int from, int to) { }
}
