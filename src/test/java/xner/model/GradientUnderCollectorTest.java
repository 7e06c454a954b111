package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import xner.data.LabelSet;
import xner.testing.TinyModels;

/**
 * Gradients must not depend on when the garbage collector runs. DJL turns a Java number in an op
 * ({@code x.div(3f)}) into a tensor over a Java buffer that dies with the op, while autograd keeps it for the
 * backward pass; these tests free and overwrite such buffers between forward and backward (with DJL's own
 * {@code x.div(3f)} the gradient below comes out as garbage every time), so any op of the training graph that
 * takes a Java number fails here.
 */
class GradientUnderCollectorTest {
    @Test
    void theHelpersKeepTheirNumberUntilTheBackwardPass() {
        float[] x = {0.5f, 1.5f, -2f, 3f};
        assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f}, gradient(x, a -> Functional.dividedBy(a, 3)));
        assertArrayEquals(new float[] {0.75f, 0.75f, 0.75f, 0.75f}, gradient(x, a -> Functional.times(a, 0.75)));
        assertArrayEquals(new float[] {1, 1, 0, 1}, gradient(x, Functional::relu));
        float[] gelu = gradient(x, Functional::geluTanh);
        for (int i = 0; i < x.length; i++) assertEquals(geluTanhDerivative(x[i]), gelu[i], 1e-5, "gelu_new'(" + x[i] + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gelu", "gelu_new", "relu"})
    void aTrainingPassHasTheSameGradientsWhenTheCollectorRunsBeforeItsBackward(String activation) {
        BertConfig config = TinyModels.bert().toBuilder().hiddenAct(activation).build().withLabels(LabelSet.PANX.names());
        assertArrayEquals(modelGradients(config, false), modelGradients(config, true), activation);
    }

    /** Every gradient of a tiny token classifier after one training pass (dropout on, seeded). */
    private static float[] modelGradients(BertConfig config, boolean churn) {
        try (TokenClassifier model = TokenClassifier.initialise(config, 3);
                NDManager step = model.parameters().manager().newSubManager()) {
            model.parameters().requireGradients(name -> true);
            step.getEngine().setRandomSeed(11);
            NDArray ids = step.create(new long[] {2, 5, 6, 3, 2, 7, 3, 0}, new Shape(2, 4));
            NDArray mask = step.create(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 4));
            NDArray labels = step.create(new long[] {-100, 1, 2, -100, -100, 3, -100, -100}, new Shape(2, 4));
            List<ByteBuffer> overwritten;
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray loss = TokenClassifier.loss(model.logits(step, ids, mask, true), labels);
                overwritten = churn ? freeAndOverwriteJavaBuffers() : List.of();
                collector.backward(loss);
            }
            List<Float> all = new ArrayList<>();
            for (String name : model.parameters().names()) {
                for (float v : model.parameters().gradient(step, name).toFloatArray()) all.add(v);
            }
            Reference.reachabilityFence(overwritten); // the filler buffers stay until the backward pass is done
            float[] values = new float[all.size()];
            for (int i = 0; i < values.length; i++) values[i] = all.get(i);
            return values;
        }
    }

    private static float[] gradient(float[] values, UnaryOperator<NDArray> op) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(values);
            x.setRequiresGradient(true);
            List<ByteBuffer> overwritten;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDArray y = op.apply(x).sum();
                overwritten = freeAndOverwriteJavaBuffers();
                collector.backward(y);
            }
            Reference.reachabilityFence(overwritten);
            return x.getGradient().toFloatArray();
        }
    }

    /** Runs the collector until unreachable direct buffers are freed, then fills small allocations with NaN. */
    private static List<ByteBuffer> freeAndOverwriteJavaBuffers() {
        List<ByteBuffer> filler = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(10); // the buffers' cleaner runs on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 5000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(8);
                b.putFloat(0, Float.NaN).putFloat(4, Float.NaN);
                filler.add(b);
            }
        }
        return filler;
    }

    private static double geluTanhDerivative(double x) {
        double c = Math.sqrt(2 / Math.PI);
        double t = Math.tanh(c * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
    }
}
