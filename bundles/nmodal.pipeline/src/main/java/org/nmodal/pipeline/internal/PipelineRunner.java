package org.nmodal.pipeline.internal;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.data.FeatureCache;
import org.nmodal.data.FeatureSet;
import org.nmodal.data.FeatureTable;
import org.nmodal.data.PostsReader;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Runs a pipeline file end to end: features (cached), projection heads, ablation, retrieval, report. */
@Component(service = PipelineRunner.class)
public final class PipelineRunner {
    private static final int ENCODE_BATCH = 32;

    private final Registry registry;
    private final Engine pytorch;
    private final Path work;
    private volatile String status = "idle";
    private volatile Live live;

    /** The run being trained (or last trained): its id, epoch budget and the epochs so far, for live curves. */
    record Live(String pipeline, int maxEpochs, List<HeadTrainer.Epoch> epochs) {}

    /** Wires the runner to the registry of parts and the PyTorch engine. */
    @Activate
    public PipelineRunner(@Reference Registry registry, @Reference(target = "(nmodal.name=PyTorch)") Engine pytorch,
            BundleContext context) {
        this(registry, pytorch, workFolder(context));
    }

    PipelineRunner(Registry registry, Engine pytorch, Path work) {
        this.registry = registry;
        this.pytorch = pytorch;
        this.work = work;
    }

    private static Path workFolder(BundleContext context) {
        String w = context.getProperty("nmodal.work");
        return w != null ? Path.of(w) : context.getDataFile("work").toPath();
    }

    /** The newest run's training progress, or null before the first. */
    Live live() {
        return live;
    }

    /** What the runner is doing now, one line. */
    String status() {
        return status;
    }

    /** Checks a pipeline file; throws {@link InvalidInputException} naming the first problem. */
    PipelineSpec validate(Path file, Path data) {
        PipelineSpec spec = PipelineSpec.read(file, data);
        registry.validate(spec);
        // the loss checks its own settings: build it once now, not after minutes of encoding
        try (ai.djl.ndarray.NDManager manager = pytorch.newBaseManager()) {
            registry.loss(spec.loss(), "loss.name").create(spec.lossSettings(), manager);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(spec.file().getFileName() + ": " + e.getMessage());
        }
        return spec;
    }

    /**
     * Runs a pipeline.
     *
     * @param file the pipeline file
     * @param data overrides the file's data path, or null
     * @param out the output folder, or null for {@code <work>/runs/<id>-<time>}
     * @param log where progress lines go
     * @return the report written
     */
    Report run(Path file, Path data, Path out, Consumer<String> console) throws IOException {
        long t0 = System.nanoTime();
        String started = java.time.Instant.now().toString();
        PipelineSpec spec = validate(file, data);
        Path dir = out != null ? out.toAbsolutePath() : work.resolve("runs").resolve(spec.id() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        java.nio.file.Files.createDirectories(dir);
        // progress goes to the console and to the run's own log
        java.io.Writer runLog = java.nio.file.Files.newBufferedWriter(dir.resolve("run.log"),
                java.nio.charset.StandardCharsets.UTF_8);
        Consumer<String> log = line -> {
            console.accept(line);
            try {
                runLog.write(java.time.LocalTime.now().withNano(0) + " " + line + "\n");
                runLog.flush();
            } catch (IOException e) {
                // the console still has it
            }
        };
        try (runLog) {
            status = "running " + spec.id() + ": reading data";
            FeatureSet set = features(spec, log);
            // a modality no post could be encoded for (its encoder failed every time) is left out, not fatal
            PipelineSpec usable = withoutEmptyModalities(spec, set, log);
            log.accept(String.format(Locale.ROOT, "data: %d posts (%d train, %d dev, %d test), modalities %s%s",
                    set.size(), set.indices(Split.TRAIN).length, set.indices(Split.DEV).length,
                    set.indices(Split.TEST).length, usable.modalities(),
                    set.errors().isEmpty() ? "" : ", " + set.errors().size() + " problem(s) (see the report)"));
            int[] train = set.indices(Split.TRAIN);
            int[] dev = set.indices(Split.DEV);
            if (train.length < 2) {
                throw new InvalidInputException(usable.file().getFileName() + ": data has " + train.length
                        + " training posts; at least 2 are needed");
            }
            if (dev.length == 0) {
                int[][] parts = holdOut(train, 0.1, usable.seed());
                train = parts[0];
                dev = parts[1];
                log.accept("no dev split: holding out " + dev.length + " training posts for early stopping");
            }
            Map<String, float[][]> raw = new LinkedHashMap<>();
            String[] groups = set.groups();
            for (String m : usable.modalities()) {
                float[][] x = groups == null ? set.features(m) : Context.withGroupMean(set.features(m), groups);
                raw.put(m, Standardize.fit(x, train));
            }
            if (groups != null) {
                log.accept("context: each post's features extended with the mean of the other posts of its "
                        + usable.contextColumn());
            }

            status = "running " + usable.id() + ": training projection heads";
            live = new Live(usable.id(), usable.epochs(), new java.util.concurrent.CopyOnWriteArrayList<>());
            Map<String, Object> lossSettings = usable.lossSettings();
            if (usable.modalities().size() < 2) {
                log.accept("one modality only: the projection head is not trained (a contrastive loss needs two)");
            }
            HeadTrainer trainer = new HeadTrainer(pytorch, usable.modalities(), raw, usable.projectionDim(), usable.dropout());
            var loss = registry.loss(usable.loss(), "loss.name");
            HeadTrainer.Result heads = trainer.train(train, dev, manager -> loss.create(lossSettings, manager),
                    usable.epochs(), usable.batch(), usable.lr(), usable.weightDecay(), usable.patience(), usable.seed(),
                    dir.resolve("checkpoints/heads.bin"), (e, max, eta) -> {
                        status = String.format(Locale.ROOT, "running %s: epoch %d/%d", usable.id(), e.epoch(), max);
                        live.epochs().add(e);
                        log.accept(String.format(Locale.ROOT,
                                "epoch %3d/%d  train loss %.4f  dev loss %.4f  lr %.2g  %.1f s  eta %.0f s",
                                e.epoch(), max, e.trainLoss(), e.devLoss(), e.lr(), e.seconds(), eta));
                    });
            log.accept(String.format(Locale.ROOT, "heads trained in %.1f s, best epoch %d%s", heads.seconds(),
                    heads.bestEpoch(), heads.recoveries() == 0 ? "" : ", " + heads.recoveries()
                            + " non-finite step(s) undone (weights restored, learning rate halved)"));

            status = "running " + usable.id() + ": evaluating";
            Map<String, DownstreamClassifier> classifiers = new LinkedHashMap<>();
            for (String c : usable.classifiers()) {
                classifiers.put(c, registry.classifier(c, "classifiers"));
            }
            Map<String, String[]> labels = new LinkedHashMap<>();
            usable.tasks().forEach(t -> labels.put(t, set.labels(t)));
            int[] test = set.indices(Split.TEST);
            // the dev posts only chose the heads' stopping epoch; the classifiers have nothing to tune on them, so they
            // learn from train and dev together (for CMU-MOSI that is the papers' whole training set)
            int[] fit = java.util.stream.IntStream.concat(Arrays.stream(train), Arrays.stream(dev)).sorted().toArray();
            List<Evaluator.Result> results = Evaluator.ablation(pytorch, usable.modalities(), raw, heads.aligned(),
                    usable.projectionDim(), registry.fusion(usable.fusion(), "fusion"), classifiers, labels, fit, test,
                    usable.seed(), (r, done, total) -> status = "running " + usable.id() + ": evaluating " + done + "/" + total);
            List<Evaluator.Retrieval> retrieval = Evaluator.retrieval(usable.modalities(), heads.aligned(), test);
            float[][] map = Evaluator.fuse(pytorch, heads.aligned(), usable.modalities(), usable.projectionDim(),
                    registry.fusion(usable.fusion(), "fusion"));
            Report report = new Report(usable, set, heads, results, retrieval, map, test,
                    (System.nanoTime() - t0) / 1e9);
            report.provenance(Provenance.manifest(registry, usable, usable.encoders(), usable.classifiers(), started,
                    (System.nanoTime() - t0) / 1e9));
            report.write(dir);
            status = "idle (last run: " + usable.id() + ", report " + dir.resolve("report.html") + ")";
            return report;
        } catch (RuntimeException | IOException e) {
            status = "idle (last run: " + spec.id() + " failed: " + e.getMessage() + ")";
            throw e;
        }
    }

    private FeatureSet features(PipelineSpec spec, Consumer<String> log) {
        String where = spec.file().getFileName() + ": data.path: ";
        try {
            if (spec.dataFormat().equals("features")) {
                return FeatureTable.read(spec.dataPath(), spec.modalities(), spec.splitColumn(), spec.tasks(),
                        spec.contextColumn());
            }
            return encodePosts(spec, log);
        } catch (IOException e) {
            throw new InvalidInputException(where + e.getMessage());
        }
    }

    /** Encodes every post with the pipeline's encoders, taking what it can from the feature cache. */
    private FeatureSet encodePosts(PipelineSpec spec, Consumer<String> log) throws IOException {
        PostsReader.Result read = PostsReader.read(spec.dataPath());
        List<Post> posts = read.posts();
        List<String> ids = posts.stream().map(Post::id).toList();
        Split[] splits = posts.stream().map(Post::split).toArray(Split[]::new);
        Map<String, String[]> labels = new LinkedHashMap<>();
        for (String t : spec.tasks()) {
            labels.put(t, posts.stream().map(p -> p.labels().get(t)).toArray(String[]::new));
        }
        FeatureSet set = new FeatureSet(ids, splits, labels);
        read.errors().forEach(set::error);
        for (Map.Entry<String, String> e : spec.encoders().entrySet()) {
            ModalityEncoder encoder = registry.encoder(e.getKey(), e.getValue(), "encoders." + e.getKey());
            set.put(e.getKey(), encoder.dimension(), encodeModality(posts, e.getKey(), encoder, set::error,
                    p -> status = "running " + spec.id() + ": encoding " + p, log, spec.encodeTimeoutMs()));
        }
        return set;
    }

    /**
     * One modality's vectors for every post, in post order (null where the post lacks it or it failed), taken from
     * the feature cache where possible; what is encoded is added to the cache.
     *
     * @param errors told one line per post that could not be encoded
     * @param progress told "m done/total" as batches finish
     * @param timeoutMs how long one encoder call (a batch) may take before the encoder counts as blocking
     */
    float[][] encodeModality(List<Post> posts, String m, ModalityEncoder encoder, Consumer<String> errors,
            Consumer<String> progress, Consumer<String> log, long timeoutMs) throws IOException {
        FeatureCache cache = new FeatureCache(work.resolve("cache"));
        String key = FeatureCache.key(encoder.version(), encoder.name() + "/" + encoder.dimension());
        Map<String, float[]> cached = cache.load(encoder.name(), key);
        float[][] vectors = new float[posts.size()][];
        String[] entries = new String[posts.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            ModalityInput input = posts.get(i).input(m).orElse(null);
            if (input == null) {
                continue;
            }
            entries[i] = FeatureCache.entry(posts.get(i).id(), input);
            float[] v = cached.get(entries[i]);
            if (v != null && v.length == encoder.dimension()) {
                vectors[i] = v;
            } else {
                todo.add(i);
            }
        }
        long t0 = System.nanoTime();
        for (int from = 0; from < todo.size(); from += ENCODE_BATCH) {
            List<Integer> chunk = todo.subList(from, Math.min(todo.size(), from + ENCODE_BATCH));
            List<ModalityInput> inputs = chunk.stream().map(i -> posts.get(i).input(m).orElseThrow()).toList();
            // a misbehaving encoder fails its own inputs, with a line naming it, never the run
            List<Encoding> out = EncoderGuard.encode(encoder, encoder.name(), inputs, timeoutMs);
            for (int k = 0; k < chunk.size(); k++) {
                int i = chunk.get(k);
                if (out.get(k).ok()) {
                    vectors[i] = out.get(k).vector();
                    cached.put(entries[i], vectors[i]);
                } else {
                    errors.accept("post " + posts.get(i).id() + ": " + m + " "
                            + describeError(inputs.get(k), out.get(k).error()) + "; the post goes on without " + m);
                }
            }
            progress.accept(m + " " + Math.min(todo.size(), from + ENCODE_BATCH) + "/" + todo.size());
        }
        if (!todo.isEmpty()) {
            cache.store(encoder.name(), key, cached);
        }
        long present = Arrays.stream(entries).filter(java.util.Objects::nonNull).count();
        log.accept(String.format(Locale.ROOT, "%s: %s, %d from cache, %d encoded in %.1f s", m, encoder.name(),
                present - todo.size(), todo.size(), (System.nanoTime() - t0) / 1e9));
        return vectors;
    }

    private static PipelineSpec withoutEmptyModalities(PipelineSpec spec, FeatureSet set, Consumer<String> log) {
        List<String> kept = new ArrayList<>();
        for (String m : spec.modalities()) {
            if (Rows.width(set.features(m)) >= 0) {
                kept.add(m);
            } else {
                String line = m + ": no post could be encoded" + (spec.encoders().containsKey(m) ? " by "
                        + spec.encoders().get(m) : "") + " (see the errors); the run goes on without " + m;
                set.error(line);
                log.accept(line);
            }
        }
        if (kept.isEmpty()) {
            throw new InvalidInputException(spec.file().getFileName() + ": no modality has a single vector ("
                    + (set.errors().isEmpty() ? "no data" : set.errors().get(0)) + ")");
        }
        if (kept.size() == spec.modalities().size()) {
            return spec;
        }
        Map<String, String> encoders = new LinkedHashMap<>(spec.encoders());
        encoders.keySet().retainAll(kept);
        return new PipelineSpec(spec.file(), spec.id(), spec.dataFormat(), spec.dataPath(), spec.splitColumn(),
                spec.contextColumn(), List.copyOf(kept), encoders, spec.projectionDim(), spec.dropout(), spec.loss(),
                spec.lossSettings(), spec.fusion(), spec.classifiers(), spec.tasks(), spec.epochs(), spec.batch(),
                spec.lr(), spec.weightDecay(), spec.patience(), spec.seed(), spec.optional(), spec.servingClassifier(),
                spec.encodeTimeoutMs());
    }

    /** Media errors already start with the file; other errors get the input named. */
    static String describeError(ModalityInput input, String error) {
        return error.startsWith(input.describe()) ? error : input.describe() + ": " + error;
    }

    Engine engine() {
        return pytorch;
    }

    Registry registry() {
        return registry;
    }

    Path work() {
        return work;
    }

    static int[][] holdOut(int[] rows, double share, long seed) {
        int[] a = rows.clone();
        Random r = new Random(seed ^ 0x5deece66dL);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        int n = Math.max(1, (int) Math.round(a.length * share));
        int[] dev = Arrays.copyOf(a, n);
        int[] train = Arrays.copyOfRange(a, n, a.length);
        Arrays.sort(dev);
        Arrays.sort(train);
        return new int[][] {train, dev};
    }

}
