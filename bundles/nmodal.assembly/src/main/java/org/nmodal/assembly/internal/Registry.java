package org.nmodal.assembly.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.NModal;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.assembly.EncoderLease;
import org.nmodal.assembly.EncoderListener;
import org.nmodal.assembly.Parts;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The parts pipelines can use, by name, kept current as bundles come and go (dynamic, greedy references). It also
 * checks a pipeline against them, so a wrong name is one line that lists the names that exist.
 */
@Component(service = Parts.class)
public final class Registry implements Parts {
    private static final System.Logger LOG = System.getLogger("nmodal.pipeline");
    private static final long DRAIN_LIMIT_MS = 30_000;

    /** One registered encoder service; several may share a name (a cpu and a gpu build), the highest rank wins. */
    private static final class Ranked {
        final ModalityEncoder encoder;
        final int ranking;
        final long serviceId;
        private int leases;

        Ranked(ModalityEncoder encoder, Map<String, Object> props) {
            this.encoder = encoder;
            this.ranking = props.get("service.ranking") instanceof Integer r ? r : 0;
            this.serviceId = props.get("service.id") instanceof Long id ? id : 0L;
        }

        synchronized void acquire() {
            leases++;
        }

        synchronized void release() {
            if (--leases == 0) {
                notifyAll();
            }
        }

        synchronized int held() {
            return leases;
        }

        /** Waits (without spinning) until no call holds the encoder or the time is up; the calls still holding it. */
        synchronized int awaitReleased(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            long left;
            while (leases > 0 && (left = deadline - System.nanoTime()) > 0) {
                wait(Math.max(1, left / 1_000_000L));
            }
            return leases;
        }

        /** Higher ranking first, then the older service, as the framework orders references. */
        static int order(Ranked a, Ranked b) {
            return a.ranking != b.ranking ? Integer.compare(b.ranking, a.ranking) : Long.compare(a.serviceId, b.serviceId);
        }
    }

    private final Map<String, java.util.List<Ranked>> ranked = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.List<EncoderListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Service properties of every part, for provenance (identity keys: services need not define equals). */
    private final Map<Object, Map<String, Object>> properties = java.util.Collections.synchronizedMap(
            new java.util.IdentityHashMap<>());
    private final Map<String, MultimodalLoss> losses = new ConcurrentHashMap<>();
    private final Map<String, org.nmodal.api.loss.SampleReweighter> reweighters = new ConcurrentHashMap<>();
    private final Map<String, FusionStrategy> fusions = new ConcurrentHashMap<>();
    private final Map<String, DownstreamClassifier> classifiers = new ConcurrentHashMap<>();
    private final Map<String, org.nmodal.api.metadata.MetadataAdapter> adapters = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addEncoder(ModalityEncoder s, Map<String, Object> props) {
        if (rejected(s, props)) {
            return;
        }
        properties.put(s, Map.copyOf(props));
        String name = name(props, s.name());
        synchronized (ranked) {
            java.util.List<Ranked> list = new java.util.ArrayList<>(ranked.getOrDefault(name, java.util.List.of()));
            list.add(new Ranked(s, props));
            list.sort(Ranked::order);
            ranked.put(name, java.util.List.copyOf(list));
            generation.incrementAndGet();
        }
        for (EncoderListener l : listeners) {
            l.encoderAdded(s.modality(), name);
        }
    }

    /**
     * Takes the encoder out of use: new calls go to the next-ranked service of the same name, or (for the last one)
     * the listeners switch away from the name first; then the calls still holding it are waited for.
     */
    public void removeEncoder(ModalityEncoder s, Map<String, Object> props) {
        String name = name(props, s.name());
        java.util.List<Ranked> before = ranked.getOrDefault(name, java.util.List.of());
        Ranked gone = before.stream().filter(r -> r.encoder == s).findFirst().orElse(null);
        if (gone == null) {
            return;
        }
        if (before.size() == 1) {
            for (EncoderListener l : listeners) {
                l.encoderRemoving(s.modality(), name);
            }
        }
        synchronized (ranked) {
            java.util.List<Ranked> list = new java.util.ArrayList<>(ranked.getOrDefault(name, java.util.List.of()));
            list.remove(gone);
            if (list.isEmpty()) {
                ranked.remove(name);
            } else {
                ranked.put(name, java.util.List.copyOf(list));
            }
            generation.incrementAndGet();
        }
        int still;
        try {
            still = gone.awaitReleased(DRAIN_LIMIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            still = gone.held();
        }
        properties.remove(s);
        if (still > 0) {
            LOG.log(System.Logger.Level.WARNING, "encoder " + name + ": " + still
                    + " call(s) still running after " + DRAIN_LIMIT_MS + " ms; releasing it anyway");
        }
    }

    /**
     * Where a part comes from: kind, name, the bundle and version that provide it, its licence and, for pretrained
     * backbones, the model's origin and licence (service properties {@code nmodal.model.origin},
     * {@code nmodal.model.licence}).
     */
    @Override
    public com.google.gson.JsonObject provenance(Object service, String kind, String name) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("kind", kind);
        o.addProperty("name", name);
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(service.getClass());
        if (b != null) {
            o.addProperty("bundle", b.getSymbolicName());
            o.addProperty("bundleVersion", b.getVersion().toString());
        }
        Map<String, Object> p = properties.getOrDefault(service, Map.of());
        o.addProperty("licence", String.valueOf(p.getOrDefault(NModal.LICENCE, "not declared")));
        for (String key : java.util.List.of("nmodal.model.origin", "nmodal.model.licence")) {
            if (p.containsKey(key)) {
                o.addProperty(key.substring("nmodal.".length()).replace(".o", "O").replace(".l", "L"),
                        String.valueOf(p.get(key)));
            }
        }
        if (service instanceof ModalityEncoder e) {
            o.addProperty("version", e.version());
            o.addProperty("device", e.device());
        }
        return o;
    }

    @Override
    public void addListener(EncoderListener l) {
        listeners.add(l);
    }

    @Override
    public void removeListener(EncoderListener l) {
        listeners.remove(l);
    }

    /**
     * Holds the highest-ranked encoder of a name for one call, or returns null when there is none. The lease is
     * taken before the service is checked again, so a removal that has begun either sees the lease and waits for
     * it, or has already taken the service out and the lease moves on to the next one.
     */
    @Override
    public EncoderLease lease(String name) {
        for (int attempt = 0; attempt < 100; attempt++) {
            java.util.List<Ranked> list = ranked.get(name);
            if (list == null || list.isEmpty()) {
                return null;
            }
            Ranked top = list.get(0);
            top.acquire();
            java.util.List<Ranked> now = ranked.get(name);
            if (now != null && now.contains(top)) {
                return new EncoderLease() {
                    private final java.util.concurrent.atomic.AtomicBoolean closed =
                            new java.util.concurrent.atomic.AtomicBoolean();

                    @Override
                    public ModalityEncoder encoder() {
                        return top.encoder;
                    }

                    @Override
                    public void close() {
                        if (closed.compareAndSet(false, true)) {
                            top.release();
                        }
                    }
                };
            }
            top.release();
        }
        return null;
    }

    /** Whether an encoder of this name is registered. */
    @Override
    public boolean hasEncoder(String name) {
        return ranked.containsKey(name);
    }

    /** Names of the encoders registered for a modality. */
    @Override
    public java.util.List<String> encoderNames(String modality) {
        return encoders().entrySet().stream().filter(e -> e.getValue().modality().equals(modality))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addLoss(MultimodalLoss s, Map<String, Object> props) {
        bind(losses, s, name(props, s.name()), props);
    }

    void removeLoss(MultimodalLoss s, Map<String, Object> props) {
        unbind(losses, s, name(props, s.name()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addReweighter(org.nmodal.api.loss.SampleReweighter s, Map<String, Object> props) {
        bind(reweighters, s, name(props, s.name()), props);
    }

    void removeReweighter(org.nmodal.api.loss.SampleReweighter s, Map<String, Object> props) {
        unbind(reweighters, s, name(props, s.name()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFusion(FusionStrategy s, Map<String, Object> props) {
        bind(fusions, s, name(props, s.name()), props);
    }

    void removeFusion(FusionStrategy s, Map<String, Object> props) {
        unbind(fusions, s, name(props, s.name()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addClassifier(DownstreamClassifier s, Map<String, Object> props) {
        bind(classifiers, s, name(props, s.name()), props);
    }

    void removeClassifier(DownstreamClassifier s, Map<String, Object> props) {
        unbind(classifiers, s, name(props, s.name()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addAdapter(org.nmodal.api.metadata.MetadataAdapter s, Map<String, Object> props) {
        bind(adapters, s, name(props, s.name()), props);
    }

    void removeAdapter(org.nmodal.api.metadata.MetadataAdapter s, Map<String, Object> props) {
        unbind(adapters, s, name(props, s.name()));
    }

    /**
     * A part whose properties disagree with its methods (pipelines select by the one and call the other) is not
     * used; one line says why, and {@code nmodal:components} shows it as rejected.
     */
    private static boolean rejected(Object service, Map<String, Object> props) {
        String why = org.nmodal.data.Declared.disagreement(service, props);
        if (why != null) {
            org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(service.getClass());
            LOG.log(System.Logger.Level.WARNING, props.get(NModal.KIND) + " " + props.get(NModal.NAME)
                    + (b == null ? "" : " (bundle " + b.getSymbolicName() + ")") + " rejected: " + why);
        }
        return why != null;
    }

    private <S> void bind(Map<String, S> map, S service, String name, Map<String, Object> props) {
        if (rejected(service, props)) {
            return;
        }
        properties.put(service, Map.copyOf(props));
        map.put(name, service);
        generation.incrementAndGet();
    }

    private <S> void unbind(Map<String, S> map, S service, String name) {
        map.remove(name, service);
        properties.remove(service);
        generation.incrementAndGet();
    }

    /** The highest-ranked encoder of every name. */
    private Map<String, ModalityEncoder> encoders() {
        Map<String, ModalityEncoder> out = new java.util.HashMap<>();
        ranked.forEach((name, list) -> out.put(name, list.get(0).encoder));
        return out;
    }

    /** Changes whenever a part comes or goes, so that what was checked against the parts can be cached. */
    @Override
    public long generation() {
        return generation.get();
    }

    private static String name(Map<String, Object> props, String fallback) {
        Object n = props.get(NModal.NAME);
        return n == null ? fallback : n.toString();
    }

    @Override
    public ModalityEncoder encoder(String modality, String name, String field) {
        Map<String, ModalityEncoder> encoders = encoders();
        ModalityEncoder e = find(encoders, name, field, "encoder", x -> x.modality().equals(modality));
        if (!e.modality().equals(modality)) {
            throw new InvalidInputException(field + ": encoder '" + name + "' encodes " + e.modality() + ", not "
                    + modality + " (" + modality + " encoders: " + names(encoders, x -> x.modality().equals(modality)) + ")");
        }
        return e;
    }

    @Override
    public MultimodalLoss loss(String name, String field) {
        return find(losses, name, field, "loss", x -> true);
    }

    @Override
    public org.nmodal.api.loss.SampleReweighter reweighter(String name, String field) {
        return find(reweighters, name, field, "reweighter", x -> true);
    }

    @Override
    public FusionStrategy fusion(String name, String field) {
        return find(fusions, name, field, "fusion", x -> true);
    }

    @Override
    public org.nmodal.api.metadata.MetadataAdapter adapter(String name, String field) {
        return find(adapters, name, field, "adapter", x -> true);
    }

    @Override
    public DownstreamClassifier classifier(String name, String field) {
        return find(classifiers, name, field, "classifier", x -> true);
    }

    /**
     * Checks every name in the pipeline; the first problem is an {@link InvalidInputException} naming the field.
     */
    @Override
    public void validate(PipelineSpec spec) {
        String f = spec.file().getFileName() + ": ";
        spec.encoders().forEach((modality, name) -> encoder(modality, name, f + "encoders." + modality));
        loss(spec.loss(), f + "loss.name");
        fusion(spec.fusion(), f + "fusion");
        for (int i = 0; i < spec.classifiers().size(); i++) {
            classifier(spec.classifiers().get(i), f + "classifiers[" + i + "]");
        }
        classifier(spec.servingClassifier(), f + "serve.classifier");
    }

    private static <S> S find(Map<String, S> map, String name, String field, String kind, Function<S, Boolean> fits) {
        S s = map.get(name);
        if (s == null) {
            throw new InvalidInputException(field + ": unknown " + kind + " '"
                    + org.nmodal.data.JsonFields.oneLine(String.valueOf(name)) + "' (available: "
                    + names(map, fits) + ")");
        }
        return s;
    }

    private static <S> String names(Map<String, S> map, Function<S, Boolean> fits) {
        TreeMap<String, S> sorted = new TreeMap<>(map);
        String list = String.join(", ", sorted.entrySet().stream().filter(e -> fits.apply(e.getValue()))
                .map(Map.Entry::getKey).toList());
        return list.isEmpty() ? "none" : list;
    }
}
