package org.nmodal.serving.internal;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.data.Standardizer;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.pipeline.WorkFolder;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.Binding;
import org.nmodal.api.serving.Scores;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.assembly.EncoderLease;
import org.nmodal.assembly.EncoderListener;
import org.nmodal.features.Features;
import org.nmodal.assembly.Parts;
import org.nmodal.assembly.PipelineDefinition;
import org.nmodal.api.classify.Evaluation;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.fusion.SupervisedFusionStrategy;
import org.nmodal.api.metadata.MetadataAdapter;
import org.nmodal.data.AdaptedPosts;
import org.nmodal.training.Rows;
import org.nmodal.training.SupervisedFitter;
import org.nmodal.assembly.Provenance;
import org.nmodal.data.PostsReader;
import org.nmodal.evaluation.Evaluator;
import org.nmodal.training.Batches;
import org.nmodal.training.FusionFitter;
import org.nmodal.training.HeadTrainer;
import org.nmodal.training.Splits;
import org.nmodal.training.TaskLabels;

/**
 * A pipeline being served: its training posts and their features (kept to bind new modalities), the model versions
 * built so far, and the one that answers now. Requests take the current version and the encoders it needs
 * ({@link Parts#lease}) at the start and finish on them, whatever changes meanwhile. When an encoder for one of
 * the pipeline's optional modalities appears, a background job binds it (features, a new head against the frozen
 * ones, the classifier refitted) and switches to the new version; when that encoder leaves, serving falls back to
 * the version without it before the encoder is released.
 */
final class LivePipeline implements EncoderListener {
    private static final int EVENTS = 40;

    /** What a served pipeline needs from the rest of the runtime. */
    record Runtime(Parts parts, Features features, Engine engine, WorkFolder work) {}

    private final PipelineSpec spec;
    private final Runtime runtime;
    private final Parts parts;
    private final Path modelsDir;
    private final String configHash;
    private final List<Post> posts;
    private final Map<String, float[][]> raw = new LinkedHashMap<>();
    private final Map<String, String[]> labels = new LinkedHashMap<>();
    private final int[] train;
    private final int[] dev;
    private final int[] test;
    private final int[] fit;
    private final List<ModelVersion> versions = new ArrayList<>();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private final List<Binding> bindings = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService binder;
    private volatile ModelVersion current;
    private volatile String state = "starting";
    /** The epoch of a version being trained, shown after {@link #state}; empty otherwise. */
    private volatile String epochNote = "";
    private volatile boolean closed;
    private volatile String leaving = "";
    private int storedMax;
    private volatile long encodeTimeoutMs = 30_000;

    private LivePipeline(PipelineSpec spec, Runtime runtime, List<Post> posts, int[] train, int[] dev, int[] test,
            String configHash) {
        this.spec = spec;
        this.runtime = runtime;
        this.parts = runtime.parts();
        this.modelsDir = runtime.work().trained(spec.id());
        this.posts = posts;
        this.train = train;
        this.dev = dev;
        this.test = test;
        this.fit = Splits.fit(train, dev);
        this.configHash = configHash;
        this.binder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nmodal-bind-" + spec.id());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the pipeline's training posts and features, then the stored version for its modalities or, when there is
     * none for this configuration and data, trains one. Optional modalities whose encoder is already there are bound
     * in the background.
     */
    static LivePipeline start(PipelineSpec spec, Runtime runtime, long encodeTimeoutMs, Consumer<String> log)
            throws IOException {
        if (!spec.dataFormat().equals("posts")) {
            throw new InvalidInputException(spec.file().getFileName() + ": only pipelines over posts (data.format posts) "
                    + "can be served: a served model encodes new posts itself");
        }
        PostsReader.Result read = PostsReader.read(spec.dataPath(), spec.allowPathsOutside());
        List<Post> posts = read.posts();
        int[] train = splitRows(posts, Split.TRAIN);
        int[] dev = splitRows(posts, Split.DEV);
        int[] test = splitRows(posts, Split.TEST);
        if (train.length < 2) {
            throw new InvalidInputException(spec.file().getFileName() + ": data has " + train.length
                    + " training posts; at least 2 are needed");
        }
        int[][] trainDev = Splits.trainAndDev(train, dev, spec.training().seed());
        LivePipeline p = new LivePipeline(spec, runtime, posts, trainDev[0], trainDev[1], test, hash(spec));
        p.encodeTimeoutMs = encodeTimeoutMs;
        for (String t : spec.tasks()) {
            p.labels.put(t, posts.stream().map(x -> x.labels().get(t)).toArray(String[]::new));
        }
        List<String> problems = new ArrayList<>(read.errors());
        for (Map.Entry<String, String> e : spec.encoders().entrySet()) {
            ModalityEncoder encoder = runtime.parts().encoder(e.getKey(), e.getValue(), "encoders." + e.getKey());
            p.state = "encoding " + e.getKey();
            p.raw.put(e.getKey(), runtime.features().extract(posts, e.getKey(), encoder, problems::add, x -> { }, log,
                    spec.encodeTimeoutMs()));
        }
        List<String> own = new ArrayList<>(spec.encoders().keySet());
        // adapted metadata, as a run reads it: texts through their encoder (cached), vectors as they are
        for (Map.Entry<String, PipelineDefinition.Adapted> e : adapters(spec).entrySet()) {
            String m = e.getKey();
            p.state = "adapting " + m;
            MetadataAdapter adapter = runtime.parts().adapter(e.getValue().adapter(), "adapters." + m + ".adapter");
            List<Post> adapted = AdaptedPosts.adapt(posts, adapter, m, problems::add);
            float[][] x = adapter.dimension() > 0 ? AdaptedPosts.vectors(adapted, m, adapter.dimension(), problems::add)
                    : runtime.features().extract(adapted, m, runtime.parts().encoder("text", e.getValue().encoder(),
                            "adapters." + m + ".encoder"), problems::add, y -> { }, log, spec.encodeTimeoutMs());
            if (Rows.width(x) < 0) {
                log.accept(m + ": no training post has it (adapter " + adapter.name() + "); served without " + m);
                continue;
            }
            p.raw.put(m, x);
            own.add(m);
        }
        if (!problems.isEmpty()) {
            log.accept(problems.size() + " problem(s) in the training data, for example: " + problems.get(0));
        }
        p.loadStored(log);
        ModelVersion base = p.find(List.copyOf(own), null);
        if (base == null) {
            p.state = "training v" + p.nextNumber();
            base = p.build(List.copyOf(own), null, "trained", log);
        } else {
            log.accept("loaded stored model " + base.label() + ": " + base.summary());
        }
        p.current = base;
        p.state = "serving";
        p.event("serving " + base.summary());
        for (Map.Entry<String, String> o : spec.optionalModalities().entrySet()) {
            for (String name : runtime.parts().encoderNames(o.getKey())) {
                p.encoderAdded(o.getKey(), name);
            }
        }
        return p;
    }

    String id() {
        return spec.id();
    }

    /** How long one request's encoder call may take before the input is answered as failed. */
    void encodeTimeout(long ms) {
        encodeTimeoutMs = ms;
    }

    PipelineSpec spec() {
        return spec;
    }

    ModelVersion current() {
        return current;
    }

    List<ModelVersion> versions() {
        synchronized (versions) {
            return List.copyOf(versions);
        }
    }

    /** The pipeline as the serving API shows it, now. */
    ServedPipeline info() {
        ModelVersion v = current;
        List<String> ev;
        synchronized (events) {
            ev = List.copyOf(events);
        }
        return new ServedPipeline(spec, state + epochNote, v == null ? null : v.info(),
                versions().stream().map(ModelVersion::info).toList(), ev, List.copyOf(bindings));
    }

    // ------------------------------------------------------------------ answering

    /**
     * Answers one post with the current version. The version and the encoders are taken together: if an encoder has
     * just left, the request starts again on the version that replaced it.
     */
    Answer predict(Post post, List<String> problems) {
        long t0 = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            ModelVersion v = current;
            if (v == null) {
                throw new IllegalStateException(spec.id() + ": no model version ready yet (" + state + ")");
            }
            List<EncoderLease> leases = new ArrayList<>();
            boolean retry = false;
            try {
                Map<String, float[]> vectors = new LinkedHashMap<>();
                List<String> skipped = new ArrayList<>(problems);
                for (ModelVersion.Part part : v.parts) {
                    ModalityInput input = part.adapter() == null ? post.input(part.modality()).orElse(null)
                            : adapted(part, List.of(post), skipped).get(0);
                    if (input == null) {
                        continue; // the post lacks it: the presence mask says so
                    }
                    if (input instanceof FeatureVector fv) {
                        if (fv.values().length == part.scaler().dimension()) {
                            vectors.put(part.modality(), fv.values());
                        } else {
                            skipped.add(part.modality() + ": adapter " + part.adapter() + " gave " + fv.values().length
                                    + " values, the model was trained on " + part.scaler().dimension());
                        }
                        continue;
                    }
                    EncoderLease lease = parts.lease(part.encoder());
                    if (lease == null) {
                        if (current != v && attempt < 50) {
                            retry = true; // the version lost this encoder a moment ago: use its successor
                            break;
                        }
                        skipped.add(part.modality() + ": encoder " + part.encoder() + " is not running");
                        continue;
                    }
                    leases.add(lease);
                    ModalityEncoder encoder = lease.encoder();
                    if (!encoder.version().equals(part.encoderVersion())) {
                        skipped.add(part.modality() + ": encoder " + part.encoder() + " now gives version "
                                + encoder.version() + ", the model was trained on " + part.encoderVersion());
                        continue;
                    }
                    Encoding e = runtime.features().encode(encoder, part.encoder(), List.of(input), encodeTimeoutMs)
                            .get(0);
                    if (e.ok()) {
                        vectors.put(part.modality(), e.vector());
                    } else {
                        skipped.add(part.modality() + ": " + Features.describe(input, e.error()));
                    }
                }
                if (!retry && vectors.isEmpty()) {
                    // an answer from no input at all would be the class prior dressed up as a prediction
                    throw new InvalidInputException("the post has no usable input for " + v.modalities()
                            + (skipped.isEmpty() ? " (fields: " + String.join(", ", v.modalities()) + ")"
                                    : ": " + skipped.get(0)));
                }
                if (!retry) {
                    ModelVersion.Prediction p = v.predict(runtime.engine(), parts.fusion(spec.fusion(), "fusion"),
                            spec.fusionSettings(), vectors);
                    return new Answer(spec.id(), p.version(), p.modalities(), p.labels(), p.probabilities(), skipped,
                            (System.nanoTime() - t0) / 1e6);
                }
            } finally {
                leases.forEach(EncoderLease::close);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Encodes many posts with the current version's encoders (held for the call) and scores them for one task; an
     * encoder that is not running is left out, with a line to {@code log}.
     */
    Scores score(List<Post> pool, String task, Consumer<String> log) throws IOException {
        ModelVersion v = current;
        if (v == null) {
            throw new IllegalStateException(spec.id() + ": no model version ready yet (" + state + ")");
        }
        String t = task == null || task.isEmpty() ? v.tasks.get(0).task() : task;
        ModelVersion.Task model = v.tasks.stream().filter(x -> x.task().equals(t)).findFirst().orElseThrow(
                () -> new InvalidInputException("task '" + t + "' is not one of the model's ("
                        + v.tasks.stream().map(ModelVersion.Task::task).toList() + ")"));
        List<Map<String, float[]>> raw = new ArrayList<>();
        pool.forEach(p -> raw.add(new LinkedHashMap<>()));
        for (ModelVersion.Part part : v.parts) {
            List<Post> posts = pool;
            if (part.adapter() != null) {
                List<String> problems = new ArrayList<>();
                List<ModalityInput> in = adapted(part, pool, problems);
                problems.stream().limit(1).forEach(log);
                if (part.encoder() == null) {
                    for (int i = 0; i < in.size(); i++) {
                        if (in.get(i) instanceof FeatureVector fv && fv.values().length == part.scaler().dimension()) {
                            raw.get(i).put(part.modality(), fv.values());
                        }
                    }
                    continue;
                }
                posts = new ArrayList<>();
                for (int i = 0; i < pool.size(); i++) {
                    Post p = pool.get(i);
                    posts.add(new Post(p.id(), in.get(i) == null ? Map.of() : Map.of(part.modality(), in.get(i)),
                            p.metadata(), p.labels(), p.split()));
                }
            }
            try (EncoderLease lease = parts.lease(part.encoder())) {
                if (lease == null) {
                    log.accept(part.modality() + ": encoder " + part.encoder() + " is not running; scored without it");
                    continue;
                }
                float[][] x = runtime.features().extract(posts, part.modality(), lease.encoder(), e -> { }, p -> { },
                        log, spec.encodeTimeoutMs());
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != null) {
                        raw.get(i).put(part.modality(), x[i]);
                    }
                }
            }
        }
        ModelVersion.Scores s = v.score(runtime.engine(), parts.fusion(spec.fusion(), "fusion"), spec.fusionSettings(),
                raw).get(t);
        return new Scores("v" + v.number, model.classes(), s.fused(), s.probabilities(), s.embeddings());
    }

    /** The pipeline's adapted streams (none for a spec that is not a pipeline file). */
    private static Map<String, PipelineDefinition.Adapted> adapters(PipelineSpec spec) {
        return spec instanceof PipelineDefinition d ? d.adapters() : Map.of();
    }

    /**
     * An adapted part's input for each post (null where the post lacks the metadata); when its adapter is not
     * running, all null and one line to {@code problems}.
     */
    private List<ModalityInput> adapted(ModelVersion.Part part, List<Post> posts, List<String> problems) {
        List<ModalityInput> out = new ArrayList<>();
        MetadataAdapter adapter;
        try {
            adapter = parts.adapter(part.adapter(), "adapters." + part.modality() + ".adapter");
        } catch (InvalidInputException e) {
            problems.add(part.modality() + ": adapter " + part.adapter() + " is not running");
            posts.forEach(p -> out.add(null));
            return out;
        }
        for (Post p : AdaptedPosts.adapt(posts, adapter, part.modality(), problems::add)) {
            out.add(p.inputs().get(part.modality()));
        }
        return out;
    }

    // ------------------------------------------------------------------ hot add and remove

    @Override
    public void encoderAdded(String modality, String name) {
        String wanted = spec.optionalModalities().get(modality);
        if (closed || wanted == null || !(wanted.isEmpty() || wanted.equals(name))) {
            return;
        }
        long seen = System.nanoTime();
        long seenAt = System.currentTimeMillis();
        event("encoder " + name + " (" + modality + ") appeared");
        binder.submit(() -> bind(modality, name, seen, seenAt));
    }

    @Override
    public void encoderRemoving(String modality, String name) {
        leaving = name; // a binding that is extracting with this encoder stops at its next batch
        ModelVersion fallback = null;
        ModelVersion v;
        synchronized (this) {
            v = current;
            ModelVersion.Part part = v == null ? null : v.part(modality);
            if (part == null || !name.equals(part.encoder())) {
                return;
            }
            if (!spec.optionalModalities().containsKey(modality)) {
                event("encoder " + name + " left: " + modality + " is one of the pipeline's own modalities, so "
                        + v.label() + " goes on answering without it until it is back");
                return;
            }
            for (ModelVersion c : versions()) {
                if (c.number == v.parent) {
                    fallback = c;
                }
            }
            if (fallback == null) {
                return;
            }
            current = fallback;
        }
        event("encoder " + name + " (" + modality + ") leaving: serving " + fallback.label() + " "
                + fallback.modalities() + " again; calls in flight on v" + v.number + " finish first");
    }

    /** Adds a modality to the current version: a stored version is reused, otherwise one is trained. */
    private void bind(String modality, String name, long seen, long seenAt) {
        try {
            ModelVersion base = current;
            if (closed || base == null || base.part(modality) != null || !parts.hasEncoder(name)) {
                return;
            }
            leaving = "";
            state = "binding " + modality + ": extracting features";
            EncoderLease lease = parts.lease(name);
            if (lease == null) {
                return;
            }
            float[][] vectors;
            ModalityEncoder encoder;
            try (lease) {
                encoder = lease.encoder();
                List<String> problems = new ArrayList<>();
                vectors = runtime.features().extract(posts, modality, encoder, problems::add,
                        x -> {
                            if (closed || leaving.equals(name)) {
                                throw new IllegalStateException("the encoder " + name + " is leaving");
                            }
                            state = "binding " + modality + ": extracting features " + x;
                        }, this::event, spec.encodeTimeoutMs());
                if (!problems.isEmpty()) {
                    event(problems.size() + " training post(s) without " + modality + ", e.g. " + problems.get(0));
                }
            }
            long featured = System.nanoTime();
            List<String> modalities = new ArrayList<>(base.modalities());
            modalities.add(modality);
            ModelVersion next;
            synchronized (versions) {
                raw.put(modality, vectors);
            }
            next = find(modalities, encoder);
            String how;
            if (next != null && next.parent == base.number) {
                how = "reused stored " + next.label();
            } else {
                state = "binding " + modality + ": training its head against the frozen ones";
                next = build(modalities, base, "bound " + modality + " (" + name + ")", this::event);
                how = "trained";
            }
            long bound = System.nanoTime();
            synchronized (this) {
                if (closed || current != base || !parts.hasEncoder(name)) {
                    event("binding " + modality + " dropped: the encoder or the served version changed meanwhile");
                    return;
                }
                current = next;
            }
            long serving = System.nanoTime();
            state = "serving";
            bindings.add(new Binding(modality, name, how.startsWith("reused") ? "reused" : "trained", next.number,
                    seenAt, seenAt + (featured - seen) / 1_000_000, seenAt + (bound - seen) / 1_000_000,
                    seenAt + (serving - seen) / 1_000_000));
            event(String.format(Locale.ROOT, "bound %s (%s): now serving %s; features %.2f s, bound %.2f s, "
                    + "serving %.2f s after the encoder appeared; %s", modality, how, next.summary(),
                    (featured - seen) / 1e9, (bound - seen) / 1e9, (serving - seen) / 1e9, compare(base, next)));
        } catch (RuntimeException | IOException e) {
            state = "serving";
            event("binding " + modality + " failed: " + e.getMessage() + "; still serving " + current.label());
        }
    }

    private static String compare(ModelVersion before, ModelVersion after) {
        StringBuilder b = new StringBuilder("test accuracy");
        for (int i = 0; i < after.tasks.size(); i++) {
            b.append(String.format(Locale.ROOT, " %s %.4f -> %.4f", after.tasks.get(i).task(),
                    before.tasks.get(i).accuracy(), after.tasks.get(i).accuracy()));
        }
        return b.toString();
    }

    void close() {
        closed = true;
        binder.shutdownNow();
        try {
            binder.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ building versions

    /** Trains a version over the given modalities; the heads of {@code parent}'s modalities stay frozen. */
    private ModelVersion build(List<String> modalities, ModelVersion parent, String origin, Consumer<String> log)
            throws IOException {
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        Map<String, Standardizer> scalers = new LinkedHashMap<>();
        Map<String, float[][]> inputs = new LinkedHashMap<>();
        Map<String, float[][]> frozen = new LinkedHashMap<>();
        for (String m : modalities) {
            ModelVersion.Part old = parent == null ? null : parent.part(m);
            Standardizer s = old != null ? old.scaler() : Standardizer.fit(raw.get(m), train);
            scalers.put(m, s);
            inputs.put(m, s.apply(raw.get(m)));
            if (old != null) {
                frozen.put(m, old.head());
            }
        }
        HeadTrainer trainer = new HeadTrainer(runtime.engine(), modalities, inputs, spec.projectionDim(),
                spec.dropout(), frozen);
        var loss = parts.loss(spec.loss(), "loss.name");
        Map<String, Object> lossSettings = spec.lossSettings();
        PipelineSpec.Training t = spec.training();
        HeadTrainer.Result heads;
        try {
            heads = trainer.train(train, dev, manager -> loss.create(lossSettings, manager), t.epochs(), t.batch(),
                    t.lr(), t.weightDecay(), t.patience(), t.seed(), null,
                    (e, max, eta) -> epochNote = " (epoch " + e.epoch() + "/" + max + ")");
        } finally {
            epochNote = "";
        }
        DownstreamClassifier classifier = org.nmodal.evaluation.ConfiguredClassifier.of(
                parts.classifier(spec.servingClassifier(), "serve.classifier"),
                spec.classifierSettings().get(spec.servingClassifier()));
        FusionFitter.Fusing fusing = new FusionFitter.Fusing(parts.fusion(spec.fusion(), "fusion"),
                spec.fusionSettings(), modalities, spec.projectionDim());
        List<ModelVersion.Task> tasks = new ArrayList<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (String task : spec.tasks()) {
            TaskLabels l = TaskLabels.of(labels.get(task), fit, test);
            List<float[][]> learned = new ArrayList<>();
            float[][] x = FusionFitter.fit(runtime.engine(), heads.aligned(), fusing, l.fitRows(), l.yFit(),
                    l.classes().size(), t.seed(), learned);
            Evaluator.Fitted fitted = Evaluator.fitAndScore(classifier, Batches.rows(x, l.fitRows()), l.yFit(),
                    Batches.rows(x, l.testRows()), l.yTest(), l.classes().size(), t.seed());
            double accuracy = fitted.evaluation() == null ? Double.NaN : fitted.evaluation().accuracy();
            double f1 = fitted.evaluation() == null ? Double.NaN : fitted.evaluation().macroF1();
            List<String> classes = l.classes();
            TrainedClassifier model = fitted.model();
            int[] testRows = l.testRows();
            float[][] supervised = null;
            if (fusing.strategy() instanceof SupervisedFusionStrategy sup && modalities.size() > 1) {
                // as the run's ablation trains it: on the standardised inputs with the task's labels, scored by its
                // own head; it then answers for the task, the classifier stays for the fused embeddings' scores
                SupervisedFitter.Fitted s = SupervisedFitter.fit(runtime.engine(), sup, spec.fusionSettings(),
                        modalities, inputs, l.fitRows(), l.yFit(), classes.size(), t.seed(), testRows);
                supervised = s.weights();
                int[] predicted = new int[testRows.length];
                for (int i = 0; i < predicted.length; i++) {
                    predicted[i] = Evaluator.argmax(s.probabilities()[i]);
                }
                Evaluation e = Evaluation.of(l.yTest(), predicted, classes.size());
                accuracy = testRows.length == 0 ? Double.NaN : e.accuracy();
                f1 = testRows.length == 0 ? Double.NaN : e.macroF1();
                metrics.put(task + ".supervisedBestEpoch", s.bestEpoch());
            }
            tasks.add(new ModelVersion.Task(task, classes, spec.servingClassifier(), model, learned.get(0), accuracy,
                    f1, testRows.length, supervised));
            metrics.put(task + ".testAccuracy", accuracy);
            metrics.put(task + ".testMacroF1", f1);
            if (parent != null) {
                // before and after, side by side in the stored version
                parent.tasks.stream().filter(pt -> pt.task().equals(task)).findFirst()
                        .ifPresent(pt -> metrics.put(task + ".parentTestAccuracy", pt.accuracy()));
            }
        }
        metrics.put("headSeconds", heads.seconds());
        metrics.put("trainedHeads", modalities.stream().filter(m -> !frozen.containsKey(m)).toList());
        metrics.put("frozenHeads", List.copyOf(frozen.keySet()));
        metrics.put("bestEpoch", heads.bestEpoch());
        List<ModelVersion.Part> versionParts = new ArrayList<>();
        for (String m : modalities) {
            ModelVersion.Part old = parent == null ? null : parent.part(m);
            PipelineDefinition.Adapted adapted = adapters(spec).get(m);
            String name = old != null ? old.encoder() : adapted != null ? adapted.encoder() : encoderFor(m);
            String version = old != null ? old.encoderVersion() : name == null ? "" : encoderVersion(name);
            versionParts.add(new ModelVersion.Part(m, name, version, scalers.get(m), heads.weights().get(m),
                    adapted == null ? null : adapted.adapter()));
        }
        Map<String, String> encoders = new LinkedHashMap<>();
        versionParts.stream().filter(p -> p.encoder() != null).forEach(p -> encoders.put(p.modality(), p.encoder()));
        com.google.gson.JsonObject provenance = Provenance.manifest(parts, spec, encoders,
                List.of(spec.servingClassifier()), started, (System.nanoTime() - t0) / 1e9);
        ModelVersion v = new ModelVersion(spec.id(), nextNumber(), parent == null ? 0 : parent.number, origin,
                Instant.now().toString(), configHash, spec.projectionDim(), spec.fusion(), versionParts, tasks, provenance);
        Path dir = v.save(modelsDir, metrics);
        synchronized (versions) {
            versions.add(v);
        }
        log.accept("model " + v.label() + " built in " + String.format(Locale.ROOT, "%.1f s", heads.seconds())
                + " and stored in " + dir + ": " + v.summary());
        return v;
    }

    private String encoderFor(String modality) {
        String named = spec.encoders().get(modality);
        if (named != null) {
            return named;
        }
        String wanted = spec.optionalModalities().get(modality);
        if (wanted != null && !wanted.isEmpty()) {
            return wanted;
        }
        List<String> names = parts.encoderNames(modality);
        if (names.isEmpty()) {
            throw new IllegalStateException("no " + modality + " encoder is running");
        }
        return names.get(0);
    }

    private String encoderVersion(String name) {
        String version = runningVersion(name);
        if (version == null) {
            throw new IllegalStateException("encoder " + name + " is not running");
        }
        return version;
    }

    /** Numbers go on from every version on disk, of any configuration, so none is overwritten. */
    private int nextNumber() {
        synchronized (versions) {
            return Math.max(storedMax, versions.stream().mapToInt(v -> v.number).max().orElse(0)) + 1;
        }
    }

    /** Versions stored for this configuration and data; others (older settings) are left alone on disk. */
    private void loadStored(Consumer<String> log) throws IOException {
        for (Path dir : ModelVersion.stored(modelsDir)) {
            storedMax = Math.max(storedMax, Integer.parseInt(dir.getFileName().toString().substring(1)));
            try {
                ModelVersion v = ModelVersion.load(dir, name -> parts.classifier(name, "classifier of " + dir.getFileName()));
                if (!v.configHash.equals(configHash)) {
                    continue;
                }
                v.checkFusion(runtime.engine(), parts.fusion(spec.fusion(), "fusion"), spec.fusionSettings());
                synchronized (versions) {
                    versions.add(v);
                }
            } catch (IOException | RuntimeException e) {
                log.accept("model " + dir + " not usable (" + e.getMessage() + "); it is left on disk");
            }
        }
    }

    /**
     * The newest stored version of this configuration over exactly these modalities whose every encoder runs now
     * with the version it was trained on; {@code added}, when given, must be the encoder of its modality.
     */
    private ModelVersion find(List<String> modalities, ModalityEncoder added) {
        ModelVersion found = null;
        for (ModelVersion v : versions()) {
            boolean fits = v.configHash.equals(configHash)
                    && new TreeSet<>(v.modalities()).equals(new TreeSet<>(modalities));
            for (ModelVersion.Part p : v.parts) {
                fits &= (p.encoder() == null || p.encoderVersion().equals(runningVersion(p.encoder())))
                        && (added == null || !added.modality().equals(p.modality()) || added.name().equals(p.encoder()));
            }
            if (fits) {
                found = v; // versions are kept oldest first: the newest wins
            }
        }
        return found;
    }

    /** The version of the encoder of that name running now, or null. */
    private String runningVersion(String encoder) {
        try (EncoderLease lease = parts.lease(encoder)) {
            return lease == null ? null : lease.encoder().version();
        }
    }

    // ------------------------------------------------------------------ helpers

    private void event(String line) {
        synchronized (events) {
            events.addLast(LocalTime.now().withNano(0) + " " + line);
            while (events.size() > EVENTS) {
                events.removeFirst();
            }
        }
    }

    private static int[] splitRows(List<Post> posts, Split split) {
        return IntStream.range(0, posts.size()).filter(i -> posts.get(i).split() == split).toArray();
    }

    /** The pipeline file, the data folder and the posts file's size and time: a changed one means a new model. */
    private static String hash(PipelineSpec spec) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(Files.readAllBytes(spec.file()));
            d.update(spec.dataPath().toString().getBytes(StandardCharsets.UTF_8));
            Path posts = spec.dataPath().resolve("posts.jsonl");
            d.update((Files.size(posts) + "/" + Files.getLastModifiedTime(posts).toMillis())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
