package org.nmodal.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.apache.felix.framework.FrameworkFactory;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.api.metadata.MetadataAdapter;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.serving.ServingService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The nmodal runtime started in-process: Apache Felix with the runtime's bundle set (read from the exported
 * {@code runtime/target/nmodal.jar}) and an optional load folder, its services handed out through the
 * {@code nmodal.api} types.
 *
 * <pre>{@code
 * try (EmbeddedRuntime nmodal = EmbeddedRuntime.start(EmbeddedRuntime.options(Path.of("runtime/target/nmodal.jar"))
 *         .work(Path.of("/tmp/nmodal-work")))) {
 *     ModalityEncoder minilm = nmodal.encoder("minilm");
 *     float[] v = minilm.encode(new TextInput("new phone, great camera"));
 * }
 * }</pre>
 *
 * <p><b>Class loading.</b> The caller and the bundles must see the same {@code Class} objects for every type that
 * crosses between them. The framework therefore exports, from the system bundle
 * ({@code org.osgi.framework.system.packages.extra}), the caller's copy of each {@code nmodal.api} package that
 * does not reach DJL types: {@code org.nmodal.api}, {@code .data}, {@code .encoder}, {@code .classify},
 * {@code .media}, {@code .metadata}, {@code .pipeline}, {@code .serving}, at the versions the runtime's
 * {@code nmodal.api} bundle exports (read from that bundle, so they cannot drift). The packages whose types use DJL
 * ({@code .batch}, {@code .loss}, {@code .fusion}) stay inside the framework with DJL itself: sharing them would
 * mean putting DJL and its native engines on the caller's class path as well, where they would meet a second copy
 * inside {@code nmodal.djl}. Losses and fusions are used inside the runtime (through {@link #pipelines()} and
 * {@link #serving()}); the caller sees them by name ({@link #names(String)}). The caller must therefore have the
 * same {@code nmodal.api} jar on its class path as the runtime was built with; {@link #start} checks that every
 * bundle got the shared packages from the caller and fails with one line otherwise.
 *
 * <p>One runtime per JVM is the intended use (DJL loads its native engines once per JVM): {@link #shared} keeps
 * one for the life of the JVM.
 */
public final class EmbeddedRuntime implements AutoCloseable {
    /** Bundles an embedded runtime leaves out by default: the interactive shell and the web server. */
    public static final Set<String> NOT_EMBEDDED = Set.of("org.apache.felix.gogo.shell",
            "org.apache.felix.http.jetty12", "nmodal.web", "nmodal.rest", "nmodal.http");
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);
    private static EmbeddedRuntime shared;

    private final Framework framework;
    private final Path storage;
    private final Duration wait;
    private final List<String> sharedPackages;
    private final Map<String, ServiceTracker<?, ?>> trackers = new HashMap<>();
    private final Map<Object, Object> proxies = new java.util.IdentityHashMap<>();
    /** What the bundles see as context class loader: the JDK's classes only, as under the launcher. */
    private static final ClassLoader BUNDLE_CONTEXT_LOADER = ClassLoader.getPlatformClassLoader();
    private final long startMillis;

    /** Settings of a start; {@link #options(Path)} makes one. */
    public static final class Options {
        private final Path runtimeJar;
        private Path work;
        private Path load;
        private Duration wait = DEFAULT_WAIT;
        private final Set<String> exclude = new LinkedHashSet<>(NOT_EMBEDDED);
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Options(Path runtimeJar) {
            this.runtimeJar = Objects.requireNonNull(runtimeJar, "runtimeJar").toAbsolutePath().normalize();
        }

        /** The work folder (feature cache, models, DJL and FFmpeg caches); default: a folder next to the jar. */
        public Options work(Path work) {
            this.work = work.toAbsolutePath().normalize();
            return this;
        }

        /** A hot-deploy folder (features, configurations) watched as by {@code runtime/nmodal}; default: none. */
        public Options load(Path load) {
            this.load = load == null ? null : load.toAbsolutePath().normalize();
            return this;
        }

        /** How long a service lookup waits for its service to appear (default 2 minutes). */
        public Options waitFor(Duration wait) {
            this.wait = wait;
            return this;
        }

        /** Also leaves out these bundles (by symbolic name). */
        public Options exclude(String... symbolicNames) {
            exclude.addAll(List.of(symbolicNames));
            return this;
        }

        /** A framework property (wins over the runtime's run properties). */
        public Options property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        Path work() {
            return work != null ? work : runtimeJar.getParent().resolve("embedded-work");
        }

        /** What decides whether {@link #shared} can hand out a running runtime for these options. */
        String identity() {
            return runtimeJar + "|" + work() + "|" + load + "|" + exclude + "|" + properties;
        }
    }

    /** Options for the runtime jar {@code runtime/target/nmodal.jar} (or a copy of it). */
    public static Options options(Path runtimeJar) {
        return new Options(runtimeJar);
    }

    /**
     * The JVM's one runtime: started on first call, kept until the JVM exits (a shutdown hook stops it).
     *
     * @throws IllegalStateException if one was started with other options
     */
    public static synchronized EmbeddedRuntime shared(Options options) throws IOException {
        if (shared != null) {
            if (!shared.identity.equals(options.identity())) {
                throw new IllegalStateException("an embedded nmodal runtime already runs in this JVM with other "
                        + "options (" + shared.identity + "); one per JVM");
            }
            return shared;
        }
        EmbeddedRuntime r = start(options);
        r.identity = options.identity();
        Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "nmodal-embedded-stop"));
        shared = r;
        return r;
    }

    private String identity = "";

    /** Starts a runtime; the caller closes it. */
    public static EmbeddedRuntime start(Options o) throws IOException {
        long t0 = System.currentTimeMillis();
        Path work = o.work();
        Files.createDirectories(work);
        // the engines and FFmpeg read these as JVM properties; a host that set its own keeps them
        System.getProperties().putIfAbsent("ai.djl.offline", "true");
        System.getProperties().putIfAbsent("DJL_CACHE_DIR", work.resolve("djl").toString());
        System.getProperties().putIfAbsent("org.bytedeco.javacpp.cachedir", work.resolve("javacpp").toString());
        RuntimeJar jar = RuntimeJar.open(o.runtimeJar, work.resolve("embedded/bundles"));
        Set<String> exclude = new TreeSet<>(o.exclude);
        if (o.load == null) {
            exclude.add("org.apache.felix.fileinstall");
        }
        RuntimeJar.Entry api = jar.bundles.stream().filter(b -> b.symbolicName().equals("nmodal.api")).findFirst()
                .orElseThrow(() -> new IOException(o.runtimeJar + ": holds no nmodal.api bundle"));
        List<String> sharedPackages = sharedApiPackages(api.file());

        Path storage = Files.createTempDirectory(Files.createDirectories(work.resolve("embedded")), "felix-");
        Map<String, String> config = new LinkedHashMap<>(jar.runProperties);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", sharedPackages));
        config.put("nmodal.work", work.toString());
        config.put("org.apache.felix.http.enable", "false");
        config.put("nmodal.djl.lazy", "true");
        config.put("gosh.args", "--nointeractive");
        if (o.load != null) {
            Files.createDirectories(o.load);
            config.put("felix.fileinstall.dir", o.load.toString());
        }
        config.putAll(o.properties);

        Framework framework = new FrameworkFactory().newFramework(config);
        Thread caller = Thread.currentThread();
        ClassLoader callerLoader = caller.getContextClassLoader();
        // bundles activated on this thread must not see the host's libraries through it either (see proxy)
        caller.setContextClassLoader(BUNDLE_CONTEXT_LOADER);
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (RuntimeJar.Entry e : jar.bundles) {
                if (exclude.contains(e.symbolicName())) {
                    continue;
                }
                Bundle b = ctx.installBundle("reference:" + e.file().toUri());
                b.adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
                installed.add(b);
            }
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            framework.start();
            EmbeddedRuntime r = new EmbeddedRuntime(framework, storage, o.wait, sharedPackages, t0);
            r.awaitStartLevel(Integer.parseInt(config.getOrDefault(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1")));
            r.checkSharing();
            return r;
        } catch (BundleException | RuntimeException e) {
            stopQuietly(framework);
            RuntimeJar.deleteTree(storage);
            throw new IOException("nmodal runtime did not start: " + e.getMessage(), e);
        } finally {
            caller.setContextClassLoader(callerLoader);
        }
    }

    private EmbeddedRuntime(Framework framework, Path storage, Duration wait, List<String> sharedPackages,
            long t0) {
        this.framework = framework;
        this.storage = storage;
        this.wait = wait;
        this.sharedPackages = sharedPackages;
        this.startMillis = System.currentTimeMillis() - t0;
    }

    /**
     * The {@code nmodal.api} packages exported by the system bundle: those whose {@code uses} reach no package outside
     * the API (DJL's), directly or through another API package.
     */
    static List<String> sharedApiPackages(Path apiBundle) throws IOException {
        String exports;
        try (JarFile j = new JarFile(apiBundle.toFile())) {
            exports = j.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        }
        Map<String, String> clauses = new LinkedHashMap<>();
        for (String c : Headers.clauses(exports)) {
            clauses.put(Headers.name(c), c);
        }
        Set<String> kept = new LinkedHashSet<>(clauses.keySet());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String p : List.copyOf(kept)) {
                String uses = Headers.attribute(clauses.get(p), "uses");
                if (uses != null && !List.of(uses.split(",")).stream().map(String::trim).allMatch(kept::contains)) {
                    kept.remove(p);
                    changed = true;
                }
            }
        }
        return kept.stream().map(p -> {
            String version = Headers.attribute(clauses.get(p), "version");
            return version == null ? p : p + ";version=\"" + version + "\"";
        }).toList();
    }

    /** Every bundle must get the shared API packages from the caller, or a service would not cast on this side. */
    private void checkSharing() {
        Set<String> names = new TreeSet<>();
        sharedPackages.forEach(p -> names.add(Headers.name(p)));
        List<String> wrong = new ArrayList<>();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            BundleWiring w = b.adapt(BundleWiring.class);
            if (w == null) {
                continue;
            }
            for (BundleWire wire : w.getRequiredWires("osgi.wiring.package")) {
                Object pkg = wire.getCapability().getAttributes().get("osgi.wiring.package");
                if (names.contains(pkg) && wire.getProvider().getBundle().getBundleId() != 0) {
                    wrong.add(b.getSymbolicName() + " gets " + pkg + " from " + wire.getProvider().getSymbolicName());
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the nmodal.api on the class path does not match the runtime's ("
                    + String.join("; ", wrong) + ")");
        }
    }

    private void awaitStartLevel(int level) {
        var sl = framework.adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class);
        long end = System.nanoTime() + wait.toNanos();
        while (sl.getStartLevel() < level && System.nanoTime() < end) {
            sleep(20);
        }
    }

    /** Milliseconds from {@link #start} to all bundles started. */
    public long startMillis() {
        return startMillis;
    }

    /** The packages shared with the caller, with their versions. */
    public List<String> sharedPackages() {
        return sharedPackages;
    }

    /**
     * A service of the given type (and filter, or null), waiting for it to appear.
     *
     * @throws IllegalStateException when none appears in time, naming what was looked for
     */
    public <T> T service(Class<T> type, String filter) {
        return service(type, filter, wait);
    }

    /** A service of the given type (and filter, or null), waiting at most {@code wait} for it. */
    public <T> T service(Class<T> type, String filter, Duration wait) {
        String f = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        if (filter != null && !filter.isBlank()) {
            f = "(&" + f + filter + ")";
        }
        ServiceTracker<?, ?> tracker;
        synchronized (trackers) {
            String key = f;
            tracker = trackers.computeIfAbsent(key, k -> {
                try {
                    Filter flt = framework.getBundleContext().createFilter(k);
                    ServiceTracker<Object, Object> t = new ServiceTracker<>(framework.getBundleContext(), flt, null);
                    t.open(true);
                    return t;
                } catch (InvalidSyntaxException e) {
                    throw new IllegalArgumentException("bad filter " + k + ": " + e.getMessage());
                }
            });
        }
        try {
            Object s = tracker.waitForService(wait.toMillis());
            if (s == null) {
                throw new IllegalStateException("no " + type.getSimpleName() + " service "
                        + (filter == null ? "" : filter + " ") + "appeared within " + wait.toSeconds() + " s");
            }
            return type.isInterface() ? proxy(type, s) : type.cast(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + type.getSimpleName());
        }
    }

    /**
     * The service wrapped so that every call runs with the thread context class loader the bundles meet under
     * {@code runtime/nmodal} (one that sees no host library). Libraries inside bundles look things up through it:
     * commons-logging inside XGBoost, for one, would find the host's Log4j (a Spark driver's) and fail on classes its
     * bundle cannot see.
     */
    private <T> T proxy(Class<T> type, Object service) {
        synchronized (proxies) {
            Object p = proxies.get(service);
            if (p == null || !type.isInstance(p)) {
                p = java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                        (self, method, args) -> {
                            if (method.getDeclaringClass() == Object.class) {
                                return switch (method.getName()) {
                                    case "equals" -> self == args[0];
                                    case "hashCode" -> System.identityHashCode(self);
                                    default -> "embedded " + service;
                                };
                            }
                            Thread t = Thread.currentThread();
                            ClassLoader before = t.getContextClassLoader();
                            t.setContextClassLoader(BUNDLE_CONTEXT_LOADER);
                            try {
                                Object r = method.invoke(service, args);
                                // an API object handed out by the service (a stored model, say) gets the same rule
                                Class<?> rt = method.getReturnType();
                                return r != null && rt.isInterface() && rt.getName().startsWith("org.nmodal.api.")
                                        ? proxy(rt, r) : r;
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            } finally {
                                t.setContextClassLoader(before);
                            }
                        });
                proxies.put(service, p);
            }
            return type.cast(p);
        }
    }

    /**
     * The encoder of that name ({@code nmodal.name} in pipeline files).
     *
     * @throws IllegalStateException naming the encoders there are when it does not appear in time
     */
    public ModalityEncoder encoder(String name) {
        return encoder(name, wait);
    }

    /** The encoder of that name, waiting at most {@code wait} for it. */
    public ModalityEncoder encoder(String name, Duration wait) {
        try {
            return service(ModalityEncoder.class, "(nmodal.name=" + name + ")", wait);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("unknown encoder '" + name + "' (available: "
                    + String.join(", ", names("encoder")) + ")");
        }
    }

    /** The downstream classifier family of that name. */
    public DownstreamClassifier classifier(String name) {
        return service(DownstreamClassifier.class, "(nmodal.name=" + name + ")");
    }

    /** The metadata adapter of that name. */
    public MetadataAdapter adapter(String name) {
        return service(MetadataAdapter.class, "(nmodal.name=" + name + ")");
    }

    /** The pipeline runner ({@code nmodal:run}). */
    public PipelineService pipelines() {
        return service(PipelineService.class, null);
    }

    /** The serving service (stored model versions, batch scoring). */
    public ServingService serving() {
        return service(ServingService.class, null);
    }

    /** The FFmpeg media writer (writes images, videos and sound, e.g. for the demo generator). */
    public MediaWriter mediaWriter() {
        return service(MediaWriter.class, null);
    }

    /**
     * Names of the registered parts of a kind ({@code encoder}, {@code loss}, {@code fusion}, {@code classifier},
     * {@code adapter}, ...): the {@code nmodal.name} of services with that {@code nmodal.kind}, sorted.
     */
    public List<String> names(String kind) {
        try {
            ServiceReference<?>[] refs = framework.getBundleContext().getAllServiceReferences(null,
                    "(nmodal.kind=" + kind + ")");
            Set<String> out = new TreeSet<>();
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    Object n = r.getProperty("nmodal.name");
                    if (n != null) {
                        out.add(n.toString());
                    }
                }
            }
            return List.copyOf(out);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad kind '" + kind + "'");
        }
    }

    /** The framework's bundle context, for what the typed methods do not cover. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Stops the framework and removes its bundle cache. */
    @Override
    public void close() {
        synchronized (EmbeddedRuntime.class) {
            if (shared == this) {
                shared = null;
            }
        }
        stop();
    }

    private void stop() {
        synchronized (trackers) {
            trackers.values().forEach(ServiceTracker::close);
            trackers.clear();
        }
        synchronized (proxies) {
            proxies.clear();
        }
        stopQuietly(framework);
        RuntimeJar.deleteTree(storage);
    }

    private static void stopQuietly(Framework f) {
        try {
            f.stop();
            f.waitForStop(30_000);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // stopping is best effort: the JVM is usually about to end
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
