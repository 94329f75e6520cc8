package org.nmodal.djl.internal;

import ai.djl.engine.Engine;
import java.io.File;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nmodal.api.NModal;
import org.nmodal.djl.Devices;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
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
 *
 * <p>Loading the natives (libtorch, ONNX Runtime, HF tokenizers) takes a third of a second warm and seconds cold,
 * and many one-shot commands never need an engine. With {@value #LAZY} set (the launcher's one-shot exec), the
 * services are registered at once with what is known without the natives (kind, name, licence) and the engines start
 * when the first bundle gets one of them: all configured engines then start together, in the configured order, and
 * their services gain version, device and GPU count. A lazily started engine that fails stays listed with device
 * {@code FAILED}; getting it yields null. Otherwise the engines start with the platform, as before.
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

    /**
     * Framework property: true starts the engines on first use rather than when the platform starts. The launcher
     * sets it for a one-shot command, whose one thread waits for an engine's start when it needs one; a runtime that
     * serves keeps the default, so that requests never wait inside another component's activation for natives.
     */
    static final String LAZY = "nmodal.djl.lazy";

    private final String[] names;
    private final Map<String, ServiceRegistration<?>> registrations = new LinkedHashMap<>();
    /** Started engines by name (null value: failed); empty until the first bundle asks for an engine. */
    private final Map<String, Engine> engines = new HashMap<>();
    /** Service properties of the started engines (version, device, GPUs), by name. */
    private final Map<String, Hashtable<String, Object>> startedProperties = new LinkedHashMap<>();
    private boolean started;

    /**
     * Starts the configured engines and registers those that started; with the framework property
     * {@value #LAZY} true, registers them all at once and starts them on first use instead.
     */
    @Activate
    public EnginePlatform(BundleContext context, Config config) {
        prepareSystemProperties(context, config);
        names = config.engines().clone();
        boolean lazy = Boolean.parseBoolean(context.getProperty(LAZY));
        synchronized (this) {
            if (!lazy) {
                started = true;
                startAll();
            }
            for (String name : names) {
                if (!lazy && engines.get(name) == null) {
                    continue; // failed to start (logged): no service, as dependants cannot work without it
                }
                Hashtable<String, Object> props = startedProperties.getOrDefault(name, baseProperties(name));
                registrations.put(name, context.registerService(Engine.class.getName(), new Factory(name), props));
            }
            if (lazy) {
                // a bundle that got an engine while the others were still being registered started them all
                startedProperties.forEach((name, props) -> setProperties(registrations.get(name), props));
            }
        }
    }

    private static Hashtable<String, Object> baseProperties(String name) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(NModal.KIND, NModal.KIND_ENGINE);
        props.put(NModal.NAME, name);
        props.put(NModal.LICENCE, name.equals("PyTorch") ? "BSD-3-Clause" : "MIT");
        return props;
    }

    /** Every bundle gets the one engine; it starts (with the others) the first time any bundle asks. */
    private final class Factory implements ServiceFactory<Object> {
        private final String name;

        Factory(String name) {
            this.name = name;
        }

        @Override
        public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
            return engine(name);
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
            // engines live as long as the JVM
        }
    }

    /** The started engine, starting all configured engines first if none has started yet; null if it failed. */
    synchronized Engine engine(String name) {
        if (!started) {
            started = true;
            startAll();
        }
        return engines.get(name);
    }

    private void startAll() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EnginePlatform.class.getClassLoader());
        try {
            for (String name : names) {
                Hashtable<String, Object> props = baseProperties(name);
                engines.put(name, start(name, props));
                startedProperties.put(name, props);
            }
            loadTokenizerNatives();
        } finally {
            thread.setContextClassLoader(previous);
        }
        // only now: listeners of the change may ask for any engine, which must be there by then
        startedProperties.forEach((name, props) -> setProperties(registrations.get(name), props));
    }

    private static Engine start(String name, Hashtable<String, Object> props) {
        long t0 = System.nanoTime();
        try {
            Engine engine = Engine.getEngine(name);
            props.put(NModal.NAME, engine.getEngineName());
            props.put("engine.version", String.valueOf(engine.getVersion()));
            props.put("engine.gpus", Devices.usableGpus(engine));
            props.put(NModal.DEVICE, Devices.describe(engine.defaultDevice()));
            LOG.log(Level.INFO, () -> String.format("engine %s %s ready on %s in %d ms", engine.getEngineName(),
                    engine.getVersion(), Devices.describe(engine.defaultDevice()), (System.nanoTime() - t0) / 1_000_000));
            return engine;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.ERROR, "engine " + name + " is unavailable: " + e, e);
            props.put(NModal.DEVICE, "FAILED");
            props.put("engine.failure", String.valueOf(e));
            return null;
        }
    }

    private static void setProperties(ServiceRegistration<?> registration, Hashtable<String, Object> props) {
        if (registration == null) {
            return;
        }
        try {
            registration.setProperties(props);
        } catch (IllegalStateException unregistered) {
            // the platform is stopping
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
    synchronized void deactivate() {
        // Engines live as long as the JVM (natives cannot be unloaded); only the services go.
        for (ServiceRegistration<?> r : registrations.values()) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        registrations.clear();
    }
}
