package org.nmodal.djl.internal;

import ai.djl.engine.Engine;
import java.io.File;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.djl.Devices;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Starts the DJL engines once and publishes each as an {@link Engine} service.
 *
 * <p>DJL discovers engines and native resources through the thread context class loader in static
 * initialisers; under OSGi that loader sees nothing, and a failed static initialiser stays failed for the
 * JVM. So the first engine calls run here with the context loader set to this bundle's loader, which holds
 * every embedded DJL jar and the natives. Other bundles then use the engines without class-loader games.
 */
@Component(immediate = true, configurationPid = "nmodal.djl")
@Designate(ocd = EnginePlatform.Config.class)
public final class EnginePlatform {
    private static final System.Logger LOG = System.getLogger("nmodal.djl");

    /** Configuration of the platform. */
    @ObjectClassDefinition(name = "nmodal DJL platform", description = "Which DJL engines start, and how")
    public @interface Config {
        /** Engines to start, by DJL name, in order. */
        @AttributeDefinition(description = "DJL engines to start, in order (ONNX Runtime must come first)")
        String[] engines() default {"OnnxRuntime", "PyTorch"};

        /** Intra-op threads for PyTorch. */
        @AttributeDefinition(description = "PyTorch intra-op threads; 1 keeps steps steady on small shared machines")
        int pytorchThreads() default 1;
    }

    private final List<ServiceRegistration<Engine>> registrations = new ArrayList<>();

    /** Starts the configured engines and registers them. */
    @Activate
    public EnginePlatform(BundleContext context, Config config) {
        prepareSystemProperties(context, config);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EnginePlatform.class.getClassLoader());
        try {
            for (String name : config.engines()) {
                start(context, name);
            }
            loadTokenizerNatives();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void start(BundleContext context, String name) {
        long t0 = System.nanoTime();
        try {
            Engine engine = Engine.getEngine(name);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(NModal.KIND, NModal.KIND_ENGINE);
            props.put(NModal.NAME, engine.getEngineName());
            props.put("engine.version", String.valueOf(engine.getVersion()));
            props.put("engine.gpus", Devices.usableGpus(engine));
            props.put(NModal.DEVICE, Devices.describe(engine.defaultDevice()));
            props.put(NModal.LICENCE, name.equals("PyTorch") ? "BSD-3-Clause" : "MIT");
            registrations.add(context.registerService(Engine.class, engine, props));
            LOG.log(Level.INFO, () -> String.format("engine %s %s ready on %s in %d ms", engine.getEngineName(),
                    engine.getVersion(), Devices.describe(engine.defaultDevice()), (System.nanoTime() - t0) / 1_000_000));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.ERROR, "engine " + name + " is unavailable: " + e, e);
        }
    }

    private static void loadTokenizerNatives() {
        try {
            ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.ERROR, "HF tokenizers are unavailable: " + e, e);
        }
    }

    /** Nothing may download at run time, and caches stay under the runtime's work folder. */
    private static void prepareSystemProperties(BundleContext context, Config config) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null) {
            String work = context.getProperty("nmodal.work");
            File dir = work != null ? new File(work, "djl") : context.getDataFile("djl");
            System.setProperty("DJL_CACHE_DIR", dir.getAbsolutePath());
        }
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.pytorchThreads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    @Deactivate
    void deactivate() {
        // Engines live as long as the JVM (natives cannot be unloaded); only the services go.
        for (ServiceRegistration<Engine> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        registrations.clear();
    }
}
