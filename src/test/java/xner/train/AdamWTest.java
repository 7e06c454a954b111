package xner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** torch.optim.AdamW's formulas, in double, for one element over several steps. */
    private static double[] reference(double p, double[] grads, double lr, double wd) {
        double m = 0, v = 0;
        double[] out = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            p *= 1 - lr * wd;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
            p -= lr / (1 - Math.pow(0.9, t)) * m / denom;
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void matchesTorchAdamWFormulasOverSeveralSteps() {
        double[] grads = {0.5, -0.25, 1e-3, 2.0};
        double[] expected = reference(0.8, grads, 1e-2, 0.01);
        try (NDManager model = NDManager.newBaseManager()) {
            NDArray p = model.create(new float[] {0.8f});
            NDArray m = model.zeros(new Shape(1));
            NDArray v = model.zeros(new Shape(1));
            for (int t = 1; t <= grads.length; t++) {
                try (NDManager step = model.newSubManager()) {
                    NDArray g = step.create(new float[] {(float) grads[t - 1]});
                    AdamW.standard().update(step, p, g, m, v, 1e-2, 0.01, t);
                }
                assertEquals(expected[t - 1], p.getFloat(0), 1e-6);
            }
        }
    }

    @Test
    void rowUpdateEqualsDenseUpdateOnTouchedRowsAndLeavesOthersAlone() {
        try (NDManager model = NDManager.newBaseManager()) {
            float[] init = {1, 2, 3, 4, 5, 6, 7, 8}; // 4 rows × 2
            NDArray dense = model.create(init, new Shape(4, 2));
            NDArray sparse = model.create(init, new Shape(4, 2));
            NDArray[] moments = {model.zeros(new Shape(4, 2)), model.zeros(new Shape(4, 2)),
                                 model.zeros(new Shape(4, 2)), model.zeros(new Shape(4, 2))};
            long before = model.getManagedArrays().size();
            for (int t = 1; t <= 3; t++) {
                try (NDManager step = model.newSubManager()) {
                    // rows 1 and 3 touched; the dense gradient is zero elsewhere
                    NDArray rowGrad = step.create(new float[] {0.1f * t, -0.2f, 0.3f, 0.4f / t}, new Shape(2, 2));
                    NDArray denseGrad = step.create(new float[] {0, 0, 0.1f * t, -0.2f, 0, 0, 0.3f, 0.4f / t}, new Shape(4, 2));
                    AdamW.standard().update(step, dense, denseGrad, moments[0], moments[1], 0.1, 0.01, t);
                    AdamW.standard().updateRows(step, sparse, step.create(new long[] {1, 3}), rowGrad,
                            moments[2], moments[3], 0.1, 0.01, t);
                }
            }
            float[] d = dense.toFloatArray();
            float[] s = sparse.toFloatArray();
            assertArrayEquals(new float[] {d[2], d[3], d[6], d[7]}, new float[] {s[2], s[3], s[6], s[7]}, 1e-6f);
            assertArrayEquals(new float[] {1, 2, 5, 6}, new float[] {s[0], s[1], s[4], s[5]}, 0f);
            assertEquals(before, model.getManagedArrays().size(), "no temporary may stay in the model's scope");
        }
    }

    @Test
    void theClippingScaleActsAsAScaledGradientAndTheGradientIsLeftAtZero() {
        try (NDManager model = NDManager.newBaseManager()) {
            float[] init = {0.3f, -1.2f, 2.5f};
            NDArray scaled = model.create(init);
            NDArray prescaled = model.create(init);
            NDArray[] moments = {model.zeros(new Shape(3)), model.zeros(new Shape(3)),
                                 model.zeros(new Shape(3)), model.zeros(new Shape(3))};
            for (int t = 1; t <= 3; t++) {
                float[] g = {0.5f * t, -0.25f, 4f / t};
                NDArray grad = model.create(g);
                NDArray half = model.create(new float[] {g[0] * 0.5f, g[1] * 0.5f, g[2] * 0.5f});
                AdamW.standard().update(List.of(new AdamW.Slot(scaled, grad, moments[0], moments[1], 0.01)), 1e-2, 0.5, t);
                AdamW.standard().update(List.of(new AdamW.Slot(prescaled, half, moments[2], moments[3], 0.01)), 1e-2, 1, t);
                assertArrayEquals(new float[3], grad.toFloatArray(), 0f, "the gradient is consumed");
            }
            assertArrayEquals(prescaled.toFloatArray(), scaled.toFloatArray(), 0f);
            assertArrayEquals(moments[3].toFloatArray(), moments[1].toFloatArray(), 0f);
        }
    }

    /**
     * The update a GPU gets (libtorch operations) against the one over host memory, on the CPU where both run:
     * the same formulas in float, so the same weights and moments within float rounding, and the gradient zeroed.
     */
    @Test
    void theUpdateAsLibtorchOperationsEqualsTheOnePassOverMemory() {
        int n = 5_000;
        try (NDManager model = NDManager.newBaseManager()) {
            float[] p0 = new float[n];
            for (int i = 0; i < n; i++) p0[i] = (float) Math.sin(i);
            NDArray kernel = model.create(p0);
            NDArray operations = model.create(p0);
            NDArray[] moments = {model.zeros(new Shape(n)), model.zeros(new Shape(n)),
                                 model.zeros(new Shape(n)), model.zeros(new Shape(n))};
            for (int t = 1; t <= 4; t++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) g[i] = (float) (Math.cos(0.37 * i * t) * (i % 7 == 0 ? 100 : 1));
                NDArray g1 = model.create(g);
                NDArray g2 = model.create(g);
                AdamW adam = AdamW.standard();
                adam.update(List.of(new AdamW.Slot(kernel, g1, moments[0], moments[1], 0.01)), 1e-3, 0.4, t);
                adam.updateWithOperations(new AdamW.Slot(operations, g2, moments[2], moments[3], 0.01), 1e-3, 0.4f, t);
                assertArrayEquals(new float[n], g2.toFloatArray(), 0f, "the gradient is left at zero");
            }
            assertArrayEquals(kernel.toFloatArray(), operations.toFloatArray(), 1e-6f);
            assertArrayEquals(moments[0].toFloatArray(), moments[2].toFloatArray(), 1e-6f);
            assertArrayEquals(moments[1].toFloatArray(), moments[3].toFloatArray(), 1e-5f);
            assertNotEquals(p0[1], kernel.toFloatArray()[1], "the weights moved");
        }
    }

    /** Several parameters of different decay, one large enough to be shared among threads, in one call. */
    @Test
    void oneCallOverManyParametersUpdatesEachAsTorchDoes() {
        int big = 700_000; // several chunks
        try (NDManager model = NDManager.newBaseManager()) {
            float[] p0 = new float[big];
            float[] g0 = new float[big];
            for (int i = 0; i < big; i++) {
                p0[i] = (float) Math.sin(i);
                g0[i] = (float) Math.cos(0.37 * i);
            }
            NDArray weight = model.create(p0, new Shape(700, 1000));
            NDArray bias = model.create(new float[] {0.8f, -0.1f});
            NDArray[] moments = {model.zeros(new Shape(700, 1000)), model.zeros(new Shape(700, 1000)),
                                 model.zeros(new Shape(2)), model.zeros(new Shape(2))};
            double[] biasGrads = {0.5, -0.25, 1e-3};
            for (int t = 1; t <= biasGrads.length; t++) {
                NDArray wg = model.create(g0, new Shape(700, 1000));
                NDArray bg = model.create(new float[] {(float) biasGrads[t - 1], (float) biasGrads[t - 1]});
                AdamW.standard().update(List.of(new AdamW.Slot(weight, wg, moments[0], moments[1], 0.01),
                        new AdamW.Slot(bias, bg, moments[2], moments[3], 0)), 1e-2, 1, t);
            }
            double[] constant = new double[biasGrads.length];
            float[] w = weight.toFloatArray();
            for (int i : new int[] {0, 1, 262_143, 262_144, 524_288, big - 1}) {
                java.util.Arrays.fill(constant, g0[i]);
                assertEquals(reference(p0[i], constant, 1e-2, 0.01)[2], w[i], 1e-6, "element " + i);
            }
            assertEquals(reference(0.8, biasGrads, 1e-2, 0)[2], bias.getFloat(0), 1e-6, "no decay on the bias");
        }
    }

    @Test
    void anArrayThatIsNotItsOwnContiguousMemoryIsRefused() {
        try (NDManager model = NDManager.newBaseManager()) {
            NDArray p = model.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray transposed = model.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2)).transpose();
            NDArray m = model.zeros(new Shape(2, 3));
            NDArray v = model.zeros(new Shape(2, 3));
            // updating a copy of the gradient's memory would silently skip zeroing it
            assertThrows(IllegalStateException.class, () -> AdamW.standard().update(
                    List.of(new AdamW.Slot(p, transposed, m, v, 0)), 1e-2, 1, 1));
        }
    }
}
