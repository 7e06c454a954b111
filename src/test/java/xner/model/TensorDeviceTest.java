package xner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xner.XnerInputException;

class TensorDeviceTest {
    @AfterEach
    void backToTheCpu() {
        TensorDevice.use("cpu", "--device");
    }

    @Test
    void readsCpuGpuAndNumberedGpus() {
        assertEquals(Device.cpu(), TensorDevice.parse("cpu", "--device"));
        assertEquals(Device.gpu(0), TensorDevice.parse("gpu", "--device"));
        assertEquals(Device.gpu(0), TensorDevice.parse("CUDA", "--device"));
        assertEquals(Device.gpu(2), TensorDevice.parse("gpu:2", "--device"));
        for (String bad : new String[] {"tpu", "gpu:", "gpu:x", "cpu:1", ""}) {
            XnerInputException e = assertThrows(XnerInputException.class, () -> TensorDevice.parse(bad, "--device"), bad);
            assertTrue(e.getMessage().startsWith("--device"), e.getMessage());
        }
    }

    @Test
    void theCpuIsTheDefaultAndModelsAreMadeOnTheChosenDevice() {
        assertEquals(Device.cpu(), TensorDevice.current());
        try (Parameters p = Parameters.create()) {
            assertEquals(Device.cpu(), p.manager().getDevice());
        }
    }

    /** Where libtorch sees no GPU (the CPU build xner ships), asking for one is a clear refusal, not a crash. */
    @Test
    void aGpuThatLibtorchDoesNotSeeIsRefusedSayingWhatItNeeds() {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        String beyond = "gpu:" + gpus; // one past the last GPU there is, on any machine
        XnerInputException e = assertThrows(XnerInputException.class, () -> TensorDevice.use(beyond, "--device"));
        assertTrue(e.getMessage().contains(gpus == 0 ? "libtorch sees no GPU" : "libtorch sees " + gpus), e.getMessage());
        assertTrue(e.getMessage().contains("On a GPU"), e.getMessage());
        assertEquals(Device.cpu(), TensorDevice.current(), "a refused device changes nothing");
    }
}
