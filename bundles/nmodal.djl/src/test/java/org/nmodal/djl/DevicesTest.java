package org.nmodal.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void parsesSettings() {
        assertEquals(-1, Devices.gpuIndex("cpu"));
        assertEquals(-1, Devices.gpuIndex(" "));
        assertEquals(0, Devices.gpuIndex("GPU"));
        assertEquals(2, Devices.gpuIndex("gpu:2"));
        assertEquals(1, Devices.gpuIndex("cuda:1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.gpuIndex("tpu:0"));
        assertTrue(e.getMessage().contains("tpu:0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Devices.gpuIndex("gpu:x"));
        assertThrows(IllegalArgumentException.class, () -> Devices.gpuIndex("gpu:-1"));
    }

    @Test
    void gpuRequestFallsBackToCpuWithCpuOnlyNatives() {
        Engine engine = Engine.getEngine("PyTorch");
        // we ship CPU natives only, so no GPU is usable whatever the machine has
        assertEquals(0, Devices.usableGpus(engine));
        assertEquals(Device.cpu(), Devices.resolve("gpu", engine, "test"));
        assertEquals(Device.cpu(), Devices.resolve("gpu:3", engine, "test"));
        assertEquals("cpu", Devices.describe(Devices.resolve("cpu", engine, "test")));
        assertEquals("gpu:1", Devices.describe(Device.gpu(1)));
    }
}
