package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;
import xner.data.LabelSet;
import xner.testing.TinyModels;

/**
 * bf16 as autocast runs it: the products in bf16, logits and gradients in fp32 and close to fp32's, and a
 * parameter's bf16 copy made per pass while it trains, once while it does not. The casts are libtorch's on any
 * CPU (oneDNN emulates where no bf16 units exist), so these tests run everywhere; only speed needs the units.
 */
class PrecisionTest {
    private static final long[] IDS = {2, 5, 6, 3, 2, 7, 3, 0};
    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 0};
    private static final long[] LABELS = {-100, 1, 2, -100, -100, 3, -100, -100};

    @Test
    void theCastIsBfloat16AndTheWayBackIsExact() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1f, 1.00390625f, 3.14159f, -2.5e-3f}); // 1 + 2^-8 is a bf16 halfway
            NDArray bf = Bfloat16.of(x);
            assertNotEquals(DataType.FLOAT32, bf.getDataType(), "DJL names no bf16 type: anything but fp32");
            assertSame(x.getManager(), bf.getManager(), "the cast joins its input's scope");
            float[] back = Precision.toFloat32(bf).toFloatArray();
            // bf16 keeps 8 bits of mantissa: round to nearest even
            assertEquals(1f, back[0]);
            assertEquals(1f, back[1]);
            assertEquals(3.140625f, back[2]);
            assertEquals(-2.5e-3f, back[3], 1e-5f);
            assertSame(bf, Bfloat16.of(bf), "a bf16 array is not cast again");
        }
    }

    @Test
    void bf16LogitsAndGradientsAreFp32AndCloseToFp32s() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Bfloat16.of(m.ones(new Shape(3))); // a first cast without gradient must not stop later ones recording
        }
        BertConfig config = TinyModels.bert().withLabels(LabelSet.PANX.names());
        Pass fp32 = pass(config, Precision.FP32);
        Pass bf16 = pass(config, Precision.BF16);
        assertEquals(fp32.logits.length, bf16.logits.length);
        double worst = 0;
        for (int i = 0; i < fp32.logits.length; i++) worst = Math.max(worst, Math.abs(fp32.logits[i] - bf16.logits[i]));
        assertTrue(worst > 0, "bf16 products must differ from fp32 somewhere (else nothing ran in bf16)");
        assertTrue(worst < 0.05, "logits differ by " + worst);
        assertEquals(fp32.loss, bf16.loss, 0.02);
        for (var e : fp32.gradientNorms.entrySet()) {
            double b = bf16.gradientNorms.get(e.getKey());
            assertTrue(b > 0 || e.getValue() == 0, e.getKey() + ": no gradient reached the fp32 weight in bf16");
            assertEquals(e.getValue(), b, 0.05 * e.getValue() + 1e-4, e.getKey());
        }
    }

    @Test
    void aTrainedWeightIsCastPerPassInThePassScopeAFixedOneOnce() {
        BertConfig config = TinyModels.bert().withLabels(LabelSet.PANX.names());
        try (TokenClassifier model = TokenClassifier.initialise(config, 3)) {
            Parameters p = model.parameters();
            p.usePrecision(Precision.BF16);
            String w = "bert.encoder.layer.0.intermediate.dense.weight";
            try (NDManager call = p.manager().newSubManager()) {
                assertSame(p.forProducts(w, call), p.forProducts(w, call), "fixed weights: one copy, kept");
            }
            p.requireGradients(name -> true);
            try (NDManager step = p.manager().newSubManager()) {
                NDArray copy = p.forProducts(w, step);
                assertSame(step, copy.getManager(), "a trained weight's copy dies with the step");
            }
            p.usePrecision(Precision.FP32);
            try (NDManager call = p.manager().newSubManager()) {
                assertSame(p.get(w), p.forProducts(w, call));
            }
        }
    }

    @Test
    void fp32AndAutoAreAlwaysAcceptedBf16OnlyWithBf16Units() {
        assertEquals(Precision.FP32, Precision.parse("fp32", "--precision"));
        assertEquals(Precision.cpuHasBf16Units() ? Precision.BF16 : Precision.FP32, Precision.parse("auto", "--precision"));
        XnerInputException bad = assertThrows(XnerInputException.class, () -> Precision.parse("fp16", "--precision"));
        assertTrue(bad.getMessage().startsWith("--precision: \"fp16\" is not a precision"), bad.getMessage());
        if (Precision.cpuHasBf16Units()) {
            assertEquals(Precision.BF16, Precision.parse("bf16", "--precision"));
        } else {
            XnerInputException e = assertThrows(XnerInputException.class, () -> Precision.parse("bf16", "--precision"));
            assertTrue(e.getMessage().contains("has no bf16 units"), e.getMessage());
        }
    }

    @Test
    void bf16NeedsAmxOrAvx512Bf16AndAutoFollowsThem() {
        Set<String> zen3 = Set.of("sse2", "avx2", "fma");
        Set<String> zen4 = Set.of("avx2", "avx512f", "avx512_bf16");
        Set<String> sapphireRapids = Set.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile");
        Set<String> skylake = Set.of("avx2", "avx512f", "avx512bw");
        assertEquals(Precision.BF16, Precision.parse("bf16", "--precision", zen4));
        assertEquals(Precision.BF16, Precision.parse("BF16", "--precision", sapphireRapids));
        assertEquals(Precision.BF16, Precision.parse("auto", "--precision", sapphireRapids));
        assertEquals(Precision.FP32, Precision.parse("auto", "--precision", zen3));
        assertEquals(Precision.FP32, Precision.parse("auto", "--precision", skylake), "AVX-512 alone emulates bf16");
        for (Set<String> none : List.of(zen3, skylake)) {
            XnerInputException e = assertThrows(XnerInputException.class, () -> Precision.parse("bf16", "--precision", none));
            assertTrue(e.getMessage().startsWith("--precision bf16: this CPU"), e.getMessage());
            assertTrue(e.getMessage().contains("no bf16 units") && e.getMessage().contains("use --precision fp32"),
                    e.getMessage());
        }
    }

    @Test
    void theCpuFlagsAreRead() {
        assumeFalse(Precision.cpuFlags().isEmpty(), "no /proc/cpuinfo here");
        assertTrue(Precision.cpuFlags().contains("sse2") || Precision.cpuFlags().contains("fp"), "x86 or ARM flags");
    }

    private record Pass(float[] logits, double loss, Map<String, Double> gradientNorms) {}

    private static Pass pass(BertConfig config, Precision precision) {
        try (TokenClassifier model = TokenClassifier.initialise(config, 3);
                NDManager step = model.parameters().manager().newSubManager()) {
            model.parameters().usePrecision(precision);
            model.parameters().requireGradients(name -> true);
            NDArray ids = step.create(IDS, new Shape(2, 4));
            NDArray mask = step.create(MASK, new Shape(2, 4));
            NDArray labels = step.create(LABELS, new Shape(2, 4));
            float[] logits;
            double loss;
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray out = model.logits(step, ids, mask, false);
                assertEquals(DataType.FLOAT32, out.getDataType(), "logits leave in fp32");
                NDArray l = TokenClassifier.loss(out, labels);
                logits = out.toFloatArray();
                loss = l.getFloat();
                collector.backward(l);
            }
            Map<String, Double> norms = new LinkedHashMap<>();
            for (String name : model.parameters().names()) {
                NDArray g = model.parameters().gradient(step, name);
                assertEquals(DataType.FLOAT32, g.getDataType(), name + ": the gradient of an fp32 weight is fp32");
                norms.put(name, (double) g.norm().getFloat());
            }
            return new Pass(logits, loss, norms);
        }
    }
}
