package org.nmodal.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Turns a configured device ({@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL {@link Device} the engine can
 * really use. A GPU request on a machine or engine build without one falls back to the CPU with one log line,
 * so the same configuration runs on CI and on a GPU server.
 */
public final class Devices {
    private static final System.Logger LOG = System.getLogger("nmodal.djl");

    private Devices() {}

    /**
     * Resolves a device setting.
     *
     * @param setting {@code cpu}, {@code gpu}, {@code gpu:N} (or {@code cuda}, {@code cuda:N}); blank means cpu
     * @param engine the engine that will run the model
     * @param component who asks, for the fallback log line
     * @return the device to use
     * @throws IllegalArgumentException when the setting is not understood
     */
    public static Device resolve(String setting, Engine engine, String component) {
        int index = gpuIndex(setting);
        if (index < 0) {
            return Device.cpu();
        }
        int gpus = usableGpus(engine);
        if (index < gpus) {
            return Device.gpu(index);
        }
        LOG.log(Level.WARNING, component + ": device '" + setting + "' requested, but " + engine.getEngineName()
                + " has " + gpus + " usable GPU(s) here; falling back to cpu");
        return Device.cpu();
    }

    /**
     * The GPU index a setting asks for, or -1 for the CPU.
     *
     * @throws IllegalArgumentException when the setting is not understood
     */
    public static int gpuIndex(String setting) {
        String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("cpu")) {
            return -1;
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return 0;
        }
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        if (colon > 0 && (kind.equals("gpu") || kind.equals("cuda"))) {
            try {
                int index = Integer.parseInt(s.substring(colon + 1));
                if (index >= 0) {
                    return index;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("device '" + setting + "' not understood (expected cpu, gpu or gpu:N)");
    }

    /** GPUs the engine's native build can use: none for a CPU-only build, whatever the machine has. */
    public static int usableGpus(Engine engine) {
        try {
            return engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** The short name nmodal shows for a device: {@code cpu} or {@code gpu:N}. */
    public static String describe(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
}
