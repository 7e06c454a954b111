package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class FunctionalTest {
    @Test
    void geluIsTheExactErfForm() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] x = {-3f, -1f, 0f, 0.5f, 1f, 2f};
            float[] gelu = Functional.gelu(m.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                // 0.5·x·(1 + erf(x/√2)), erf from the identity Φ(x) = (1 + erf(x/√2)) / 2
                assertEquals(x[i] * normalCdf(x[i]), gelu[i], 1e-6, "gelu(" + x[i] + ")");
            }
            // the tanh form differs visibly at 1: 0.8411920 against the exact 0.8413447
            assertEquals(0.8413447, gelu[4], 1e-6);
            assertEquals(0.8411920, Functional.geluTanh(m.create(new float[] {1f})).getFloat(0), 1e-6);
        }
    }

    @Test
    void layerNormNormalisesTheLastAxisThenScalesAndShifts() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2, 3, 4, 10, 10, 10, 10}, new Shape(2, 4));
            NDArray y = Functional.layerNorm(x, m.create(new float[] {1, 1, 2, 2}), m.create(new float[] {0, 0, 0, 1}), 1e-12);
            double s = Math.sqrt(1.25); // population std of 1, 2, 3, 4
            assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-0.5 / s), (float) (2 * 0.5 / s),
                    (float) (2 * 1.5 / s + 1), 0, 0, 0, 1}, y.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void linearIsXTimesWeightTransposedPlusBias() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2}, new Shape(1, 2));
            NDArray w = m.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(3, 2)); // (out, in)
            NDArray y = Functional.linear(x, w, m.create(new float[] {0, 10, 100}));
            assertArrayEquals(new float[] {1, 12, 103}, y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void dropoutIsIdentityOutsideTrainingAndScalesSurvivorsInTraining() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.ones(new Shape(1000));
            assertArrayEquals(x.toFloatArray(), Functional.dropout(x, 0.5, false).toFloatArray());
            float[] dropped = Functional.dropout(x, 0.5, true).toFloatArray();
            int zeros = 0;
            for (float v : dropped) {
                if (v == 0) zeros++;
                else assertEquals(2f, v, 1e-6f);
            }
            assertEquals(500, zeros, 80);
        }
    }

    private static double normalCdf(double x) {
        // Φ by a series that converges for the small |x| used here: Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(1·3·…·(2n+1))
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= x * x / (2 * n + 1);
            sum += term;
        }
        return 0.5 + Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * sum;
    }
}
