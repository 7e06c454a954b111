package xner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The AdamW update of {@code torch.optim.AdamW} (decoupled weight decay, bias-corrected moments, eps added
 * after the bias-corrected square root), applied in place to one parameter at a time so that the caller
 * decides the weight decay of each (0 for biases and LayerNorm weights, as the chapter's Trainer does).
 *
 * <p>{@link #updateRows} updates only some rows of a matrix: the word embeddings, where a batch touches a
 * few hundred of 119,547 rows and the dense update costs more than the rest of the step (STACK.md). On the
 * rows it touches it computes exactly what the dense update computes; untouched rows keep their values and
 * moments (no decay, no momentum), as a lazy Adam does.
 *
 * <p>All temporaries are attached to the {@code step} scope; the parameter and moment arrays are updated in
 * place and stay in their own scope.
 */
public final class AdamW {
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
     * One AdamW step on {@code param} in place.
     *
     * @param step        the scope this training step's temporaries live in
     * @param grad        the gradient, same shape as {@code param}
     * @param m           first moment, updated in place
     * @param v           second moment, updated in place
     * @param stepNumber  1-based count of updates so far, this one included (bias correction)
     */
    public void update(NDManager step, NDArray param, NDArray grad, NDArray m, NDArray v,
                       double learningRate, double weightDecay, long stepNumber) {
        double biasCorrection1 = 1 - Math.pow(beta1, stepNumber);
        double biasCorrection2 = 1 - Math.pow(beta2, stepNumber);
        if (weightDecay != 0) param.muli(1 - learningRate * weightDecay);
        // m = beta1 m + (1 - beta1) g ;  v = beta2 v + (1 - beta2) g²
        m.muli(beta1).addi(inScope(step, grad.mul(1 - beta1)));
        v.muli(beta2).addi(inScope(step, grad.square()).muli(1 - beta2));
        // param -= lr / bc1 · m / (sqrt(v) / sqrt(bc2) + eps)
        NDArray denominator = inScope(step, v.sqrt()).divi(Math.sqrt(biasCorrection2)).addi(eps);
        NDArray change = inScope(step, m.div(denominator)).muli(learningRate / biasCorrection1);
        param.subi(change);
    }

    /**
     * One AdamW step on the rows {@code rows} of a matrix, in place.
     *
     * @param rows     the distinct row ids touched (int64, in the step scope)    // (rows)
     * @param rowGrad  the gradient of those rows                                 // (rows, columns)
     */
    public void updateRows(NDManager step, NDArray param, NDArray rows, NDArray rowGrad, NDArray m, NDArray v,
                           double learningRate, double weightDecay, long stepNumber) {
        NDIndex index = new NDIndex("{}", rows);
        NDArray paramRows = inScope(step, param.get(index));
        NDArray mRows = inScope(step, m.get(index));
        NDArray vRows = inScope(step, v.get(index));
        update(step, paramRows, rowGrad, mRows, vRows, learningRate, weightDecay, stepNumber);
        param.set(index, paramRows);
        m.set(index, mRows);
        v.set(index, vRows);
    }

    /** Results join their first operand's scope; a temporary made from a parameter must move to the step's. */
    private static NDArray inScope(NDManager step, NDArray temporary) {
        temporary.attach(step);
        return temporary;
    }
}
