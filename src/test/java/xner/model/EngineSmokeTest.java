package xner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
    /**
     * DJL is in offline mode ({@code ai.djl.offline=true}, set by the build for tests and by the application
     * for itself), so it may neither download a libtorch flavour nor look anything up; the engine then starts
     * from the native library already on this machine and multiplies.
     */
    @Test
    void pytorchEngineStartsOfflineAndMultiplies() {
        assertTrue(Utils.isOfflineMode(), "DJL is not in offline mode: ai.djl.offline=" + System.getProperty("ai.djl.offline"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray(), 1e-6f);
        }
    }
}
