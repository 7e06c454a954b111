package xner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import xner.model.BertConfig;
import xner.model.Precision;

class TrainBenchmarkTest {
    @Test
    void forwardFlopsOfBertBaseAreTwoPerMatrixWeightPlusAttention() {
        BertConfig base = BertConfig.defaults("bert").withSizes(119_547, 768, 12, 12, 3072);
        // 12 layers × (4·768² + 2·768·3072) weights, classifier 768×7, attention 12 · 4·32·768
        double expected = 2 * (12 * (4.0 * 768 * 768 + 2.0 * 768 * 3072) + 768 * 7) + 12 * 4.0 * 32 * 768;
        assertEquals(171_059_712, expected, 0);
        assertEquals(expected, TrainBenchmark.forwardFlopsPerToken(base, 7, 32), 0);
        // forward and a backward of twice its cost: the 0.51 GFLOP per trained token
        assertEquals(0.51, 3 * expected / 1e9, 0.01);
    }

    @Test
    void theProductRatesAreMeasuredInBothPrecisions() {
        for (Precision p : Precision.values()) {
            double gflops = p.productGflops(128, 2);
            assertTrue(gflops > 0 && Double.isFinite(gflops), p + " GFLOP/s " + gflops);
        }
    }
}
