package org.nmodal.assembly.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.data.TextInput;
import com.google.gson.JsonObject;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.pipeline.EpochStat;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.pipeline.RunListener;
import org.nmodal.api.pipeline.RunResult;
import org.nmodal.api.pipeline.RunStatus;
import org.nmodal.api.pipeline.WorkFolder;
import org.nmodal.features.Features;
import org.nmodal.assembly.Parts;
import org.nmodal.assembly.PipelineDefinition;
import org.nmodal.assembly.Provenance;
import org.nmodal.data.FeatureSet;
import org.nmodal.data.FeatureTable;
import org.nmodal.data.PostsReader;
import org.nmodal.evaluation.Evaluator;
import org.nmodal.evaluation.LabelEfficiency;
import org.nmodal.api.pipeline.SubsetRule;
import org.nmodal.evaluation.Robustness;
import org.nmodal.evaluation.Report;
import org.nmodal.recommend.evaluation.RecommendReport;
import org.nmodal.recommend.evaluation.TagEvaluation;
import org.nmodal.training.Context;
import org.nmodal.training.FusionFitter;
import org.nmodal.training.HeadTrainer;
import org.nmodal.data.NoisyPairs;
import org.nmodal.evaluation.DataChecks;
import org.nmodal.training.Rows;
import org.nmodal.training.Splits;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Runs a pipeline file end to end: features (cached), projection heads, ablation, retrieval, report. */
@Component(service = PipelineService.class)
public final class PipelineRunner implements PipelineService {
    private final Parts parts;
    private final Features features;
    private final Engine pytorch;
    private final WorkFolder work;
    private volatile String state = "idle";
    private volatile RunStatus live = new RunStatus("idle", null, 0, List.of());
    private final List<EpochStat> epochs = new CopyOnWriteArrayList<>();

    /** Wires the runner to the parts, the feature extraction and the PyTorch engine. */
    @Activate
    public PipelineRunner(@Reference Parts parts, @Reference Features features,
            @Reference(target = "(nmodal.name=PyTorch)") Engine pytorch, BundleContext context) {
        this(parts, features, pytorch, Work.folder(context));
    }

    PipelineRunner(Parts parts, Features features, Engine pytorch, WorkFolder work) {
        this.parts = parts;
        this.features = features;
        this.pytorch = pytorch;
        this.work = work;
    }

    @Override
    public WorkFolder work() {
        return work;
    }

    @Override
    public RunStatus status() {
        RunStatus l = live;
        return new RunStatus(state, l.pipeline(), l.maxEpochs(), epochs);
    }

    @Override
    public PipelineDefinition validate(Path file, Path data) {
        PipelineDefinition spec = PipelineDefinition.read(file, data);
        parts.validate(spec);
        validateTextColumns(spec, parts);
        validateAdapters(spec, parts);
        // the loss and the fusion check their own settings: build them once now, not after minutes of encoding
        try (NDManager manager = pytorch.newBaseManager()) {
            parts.loss(spec.loss(), "loss.name").create(spec.lossSettings(), manager);
            parts.fusion(spec.fusion(), "fusion").create(spec.modalities(), spec.projectionDim(), spec.fusionSettings(),
                    manager);
            PipelineDefinition.Experiment x = spec.experiment();
            if (x.reweighter() != null) {
                parts.reweighter(x.reweighter(), spec.file().getFileName() + ": reweighter.name")
                        .create(x.reweighterSettings(), manager);
            }
            if (spec.folds() != null && !x.labelFractions().isEmpty()) {
                throw new InvalidInputException(spec.file().getFileName() + ": evaluate.labelFractions needs one "
                        + "split (train/dev/test), not data.folds");
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(spec.file().getFileName() + ": " + e.getMessage());
        }
        // so do the classifiers: an unknown or bad setting is one line before any work
        for (int i = 0; i < spec.classifiers().size(); i++) {
            String c = spec.classifiers().get(i);
            try {
                parts.classifier(c, "classifiers").checkSettings(spec.classifierSettings().getOrDefault(c, Map.of()));
            } catch (InvalidInputException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(spec.file().getFileName() + ": classifiers[" + i + "]: " + e.getMessage());
            }
        }
        return spec;
    }

    @Override
    public RunResult run(Path file, Path data, Path out, RunListener listener) throws IOException {
        return run(file, data, out, listener, false);
    }

    @Override
    public RunResult resume(Path folder, RunListener listener) throws IOException {
        org.nmodal.training.ResumeRecord r = org.nmodal.training.ResumeRecord.read(folder.toAbsolutePath().normalize());
        return run(r.pipeline(), r.data(), r.folder(), listener, true);
    }

    private RunResult run(Path file, Path data, Path out, RunListener listener, boolean resume) throws IOException {
        long t0 = System.nanoTime();
        String started = java.time.Instant.now().toString();
        PipelineDefinition spec = validate(file, data);
        Path dir = out != null ? out.toAbsolutePath() : work.newRun(spec.id(), LocalDateTime.now());
        Files.createDirectories(dir);
        if (!resume) {
            org.nmodal.training.ResumeRecord.write(dir, spec.file(), data);
        }
        // progress goes to the listener and to the run's own log; a resumed run adds to the log it had
        Writer runLog = Files.newBufferedWriter(dir.resolve("run.log"), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, resume ? java.nio.file.StandardOpenOption.APPEND
                        : java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
        Consumer<String> log = line -> {
            listener.line(line);
            try {
                runLog.write(java.time.LocalTime.now().withNano(0) + " " + line + "\n");
                runLog.flush();
            } catch (IOException e) {
                // the console still has it
            }
        };
        try (runLog) {
            if (resume) {
                log.accept("resuming " + spec.id() + " in " + dir + " from its last checkpoint");
            }
            state = "running " + spec.id() + ": reading data";
            FeatureSet set = features(spec, log);
            // a modality no post could be encoded for (its encoder failed every time) is left out, not fatal
            PipelineDefinition kept = withoutEmptyModalities(spec, set, log);
            set.warnings().forEach(w -> log.accept("warning: " + w));
            log.accept(String.format(Locale.ROOT, "data: %d posts (%d train, %d dev, %d test), modalities %s%s",
                    set.size(), set.indices(Split.TRAIN).length, set.indices(Split.DEV).length,
                    set.indices(Split.TEST).length, kept.modalities(),
                    set.errors().isEmpty() ? "" : ", " + set.errors().size() + " problem(s) (see the report)"));
            if (kept.folds() != null) {
                return crossValidate(kept, set, dir, t0, started, log, listener, resume);
            }
            int[] train = set.indices(Split.TRAIN);
            int[] dev = set.indices(Split.DEV);
            if (train.length < 2) {
                throw new InvalidInputException(kept.file().getFileName() + ": data has " + train.length
                        + " training posts; at least 2 are needed");
            }
            if (dev.length == 0) {
                int[][] split = Splits.trainAndDev(train, dev, kept.training().seed());
                train = split[0];
                dev = split[1];
                log.accept("no dev split: holding out " + dev.length + " training posts for early stopping");
            }
            PipelineDefinition present = kept.withModalities(DataChecks.modalities(kept, set, train, log));
            PipelineDefinition usable = present.withTasks(DataChecks.tasks(present, set, Splits.fit(train, dev),
                    set.indices(Split.TEST), log));
            boolean learnable = DataChecks.contrastable(usable, set, train, log);
            NoisyPairs.Corruption inputs = inputs(usable, set, train, "", log);
            Map<String, float[][]> raw = inputs.features();
            PipelineDefinition.Experiment experiment = usable.experiment();
            if (set.groups() != null) {
                log.accept("context: each post's features extended with the mean of the other posts of its "
                        + usable.contextColumn());
            }

            if (usable.modalities().size() < 2) {
                log.accept("one modality only: the projection head is not trained (a contrastive loss needs two)");
            }
            PipelineSpec.Training t = usable.training();
            HeadTrainer.Result heads = heads(usable, raw, train, dev, learnable, dir, resume, "", listener, log);

            state = "running " + usable.id() + ": evaluating";
            Map<String, DownstreamClassifier> classifiers = new LinkedHashMap<>();
            for (String c : usable.classifiers()) {
                classifiers.put(c, org.nmodal.evaluation.ConfiguredClassifier.of(parts.classifier(c, "classifiers"),
                        usable.classifierSettings().get(c)));
            }
            Map<String, String[]> labels = new LinkedHashMap<>();
            usable.tasks().forEach(task -> labels.put(task, set.labels(task)));
            int[] test = set.indices(Split.TEST);
            // the dev posts only chose the heads' stopping epoch; the classifiers have nothing to tune on them, so they
            // learn from train and dev together (for CMU-MOSI that is the papers' whole training set)
            int[] fit = Splits.fit(train, dev);
            var fusion = parts.fusion(usable.fusion(), "fusion");
            SubsetRule.Chosen chosen = chosen(usable, log);
            List<Evaluator.Result> results = Evaluator.ablation(pytorch, chosen, raw, heads.aligned(),
                    usable.projectionDim(), fusion, usable.fusionSettings(), classifiers, labels, fit, test, t.seed(),
                    usable.experiment().lateFusion(), progress(usable, chosen, "", log));
            List<Evaluator.Retrieval> retrieval = Evaluator.retrieval(usable.modalities(), heads.aligned(), test);
            float[][] map = FusionFitter.fuse(pytorch, heads.aligned(), new FusionFitter.Fusing(fusion,
                    usable.fusionSettings(), usable.modalities(), usable.projectionDim()));
            Report report = new Report(usable, set, heads, results, retrieval, map, test,
                    (System.nanoTime() - t0) / 1e9);
            if (usable.recommend() != null) {
                state = "running " + usable.id() + ": recommending " + usable.recommend().field();
                report.section(RecommendReport.section(recommend(usable, chosen, set, raw, heads.aligned(), train, dev,
                        test, log)));
            }
            JsonObject robust = robustness(usable, inputs, train, retrieval, heads.sampleWeights());
            if (robust != null) {
                Robustness.addTo(report, robust, log);
            }
            if (!experiment.labelFractions().isEmpty()) {
                state = "running " + usable.id() + ": label-efficiency curves";
                LabelEfficiency.addTo(report, LabelEfficiency.curves(pytorch, usable.modalities(), raw, heads.aligned(),
                        usable.projectionDim(), fusion, usable.fusionSettings(), classifiers, labels, fit, test,
                        experiment.labelFractions(), t.seed()), log);
            }
            report.provenance(Provenance.manifest(parts, usable, usable.encodersUsed(), usable.classifiers(), started,
                    (System.nanoTime() - t0) / 1e9));
            report.write(dir);
            state = "idle (last run: " + usable.id() + ", report " + dir.resolve("report.html") + ")";
            return new RunResult(dir, report.summary());
        } catch (RuntimeException | IOException e) {
            state = "idle (last run: " + spec.id() + " failed: " + e.getMessage() + ")";
            throw e;
        }
    }

    /** Hashtag recommendation (Tag2Vec and its baselines) on the run's features; the posts' tags are read again. */
    private TagEvaluation.Result recommend(PipelineDefinition spec, SubsetRule.Chosen chosen, FeatureSet set,
            Map<String, float[][]> raw,
            Map<String, float[][]> aligned, int[] train, int[] dev, int[] test, Consumer<String> log)
            throws IOException {
        boolean hashtags = spec.recommend().field().equals("hashtags");
        Map<String, List<String>> byId = new java.util.HashMap<>();
        for (Post p : PostsReader.read(spec.dataPath(), spec.allowPathsOutside()).posts()) {
            byId.put(p.id(), hashtags ? p.metadata().hashtags() : p.metadata().tags());
        }
        try {
            return TagEvaluation.run(pytorch, spec.recommend(), chosen, raw, aligned,
                    set.ids().stream().map(byId::get).toList(), train, dev, test, spec.training().seed(), log);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(spec.file().getFileName() + ": recommend: " + e.getMessage());
        }
    }

    /**
     * A feature table's text columns: the encoder must be a text encoder, and the column must be in meta.csv when
     * the table can be read (a table that cannot is reported when the run reads it).
     */
    static void validateTextColumns(PipelineDefinition spec, Parts parts) {
        if (spec.textColumns().isEmpty()) {
            return;
        }
        String f = spec.file().getFileName() + ": data.textColumns.";
        spec.textColumns().forEach((m, t) -> parts.encoder("text", t.encoder(), f + m + ".encoder"));
        List<String> columns;
        try {
            columns = FeatureTable.columns(spec.dataPath());
        } catch (IOException e) {
            return;
        }
        spec.textColumns().forEach((m, t) -> {
            if (!columns.contains(t.column())) {
                throw new InvalidInputException(f + m + ".column: no column '" + t.column() + "' in "
                        + spec.dataPath().resolve("meta.csv") + " (columns: " + String.join(", ", columns) + ")");
            }
        });
    }

    /** Each adapter exists; one that gives texts names a text encoder, one that gives vectors none. */
    static void validateAdapters(PipelineDefinition spec, Parts parts) {
        spec.adapters().forEach((m, a) -> {
            String f = spec.file().getFileName() + ": adapters." + m;
            var adapter = parts.adapter(a.adapter(), f + ".adapter");
            if (adapter.dimension() > 0 && a.encoder() != null) {
                throw new InvalidInputException(f + ".encoder: adapter '" + a.adapter() + "' gives " + adapter.dimension()
                        + "-d vectors, which need no encoder (leave 'encoder' out)");
            }
            if (adapter.dimension() <= 0 && a.encoder() == null) {
                throw new InvalidInputException(f + ": adapter '" + a.adapter() + "' gives texts; name their encoder, "
                        + "e.g. {\"adapter\": \"" + a.adapter() + "\", \"encoder\": ...} (text encoders: "
                        + String.join(", ", parts.encoderNames("text")) + ")");
            }
            if (a.encoder() != null) {
                parts.encoder("text", a.encoder(), f + ".encoder");
            }
        });
    }

    private FeatureSet features(PipelineDefinition spec, Consumer<String> log) {
        String where = spec.file().getFileName() + ": data.path: ";
        try {
            FeatureSet set;
            if (spec.dataFormat().equals("features")) {
                set = readTable(spec, log);
            } else {
                set = encodePosts(spec, log);
            }
            readFolds(spec, set);
            return set;
        } catch (IOException e) {
            throw new InvalidInputException(where + e.getMessage());
        }
    }

    /**
     * Reads a feature table; its text columns become modalities like the others: each row's text is a post's
     * {@link TextInput}, encoded through the same guarded, cached extraction as a post data set's text.
     */
    FeatureSet readTable(PipelineDefinition spec, Consumer<String> log) throws IOException {
        Map<String, String> columns = new LinkedHashMap<>();
        spec.textColumns().forEach((m, t) -> columns.put(m, t.column()));
        List<String> files = spec.modalities().stream().filter(m -> !columns.containsKey(m)).toList();
        FeatureSet set = FeatureTable.read(spec.dataPath(), files, spec.splitColumn(), spec.tasks(),
                spec.contextColumn(), columns);
        for (Map.Entry<String, PipelineDefinition.TextColumn> e : spec.textColumns().entrySet()) {
            String m = e.getKey();
            ModalityEncoder encoder = parts.encoder("text", e.getValue().encoder(),
                    spec.file().getFileName() + ": data.textColumns." + m + ".encoder");
            String[] texts = set.texts(m);
            List<Post> posts = new ArrayList<>(set.size());
            for (int i = 0; i < set.size(); i++) {
                posts.add(new Post(set.ids().get(i), texts[i] == null ? Map.of() : Map.of(m, new TextInput(texts[i])),
                        null, null, set.split(i)));
            }
            set.put(m, encoder.dimension(), features.extract(posts, m, encoder, set::error,
                    p -> state = "running " + spec.id() + ": encoding " + p, log, spec.encodeTimeoutMs()));
        }
        return set;
    }

    /** Encodes every post with the pipeline's encoders, taking what it can from the feature cache. */
    FeatureSet encodePosts(PipelineDefinition spec, Consumer<String> log) throws IOException {
        PostsReader.Result read = PostsReader.read(spec.dataPath(), spec.allowPathsOutside());
        List<Post> posts = read.posts();
        List<String> ids = posts.stream().map(Post::id).toList();
        Split[] splits = posts.stream().map(Post::split).toArray(Split[]::new);
        Map<String, String[]> labels = new LinkedHashMap<>();
        for (String t : spec.tasks()) {
            labels.put(t, posts.stream().map(p -> p.labels().get(t)).toArray(String[]::new));
        }
        FeatureSet set = new FeatureSet(ids, splits, labels);
        set.labelKeys(posts.stream().flatMap(p -> p.labels().keySet().stream()).collect(java.util.stream.Collectors.toSet()));
        if (spec.folds() != null) {
            String field = spec.folds().substring("meta.".length());
            set.folds(posts.stream().map(p -> p.metadata().extra().get(field)).toArray(String[]::new));
        }
        read.errors().forEach(set::error);
        for (Map.Entry<String, String> e : spec.encoders().entrySet()) {
            ModalityEncoder encoder = parts.encoder(e.getKey(), e.getValue(), "encoders." + e.getKey());
            set.put(e.getKey(), encoder.dimension(), features.extract(posts, e.getKey(), encoder, set::error,
                    p -> state = "running " + spec.id() + ": encoding " + p, log, spec.encodeTimeoutMs()));
        }
        // adapted metadata: texts through their encoder (guarded, cached), vectors as they are
        for (Map.Entry<String, PipelineDefinition.Adapted> e : spec.adapters().entrySet()) {
            String m = e.getKey();
            var adapter = parts.adapter(e.getValue().adapter(), "adapters." + m + ".adapter");
            List<Post> adapted = org.nmodal.data.AdaptedPosts.adapt(posts, adapter, m, set::error);
            if (adapter.dimension() > 0) {
                set.put(m, adapter.dimension(), org.nmodal.data.AdaptedPosts.vectors(adapted, m, adapter.dimension(),
                        set::error));
                log.accept(m + ": adapter " + adapter.name() + ", " + adapted.stream().filter(p -> !p.inputs()
                        .isEmpty()).count() + " of " + posts.size() + " posts have it");
                continue;
            }
            ModalityEncoder encoder = parts.encoder("text", e.getValue().encoder(), "adapters." + m + ".encoder");
            set.put(m, encoder.dimension(), features.extract(adapted, m, encoder, set::error,
                    p -> state = "running " + spec.id() + ": encoding " + p, log, spec.encodeTimeoutMs()));
        }
        return set;
    }

    /** A feature table's fold column ({@code data.folds}); posts got theirs while being read. */
    private static void readFolds(PipelineDefinition spec, FeatureSet set) throws IOException {
        if (spec.folds() != null && spec.dataFormat().equals("features")) {
            set.folds(FeatureTable.column(spec.dataPath(), spec.folds()));
        }
    }

    /** The subsets {@code evaluate.subsets} chooses for the run's modalities, told in the log. */
    private static SubsetRule.Chosen chosen(PipelineDefinition spec, Consumer<String> log) {
        SubsetRule.Chosen chosen = spec.experiment().subsets().choose(spec.modalities());
        log.accept("ablation subsets (evaluate.subsets): " + chosen.rule());
        return chosen;
    }

    /** Progress of the ablation into the status and, every few seconds, a line with the ETA. */
    private Evaluator.Progress progress(PipelineDefinition spec, SubsetRule.Chosen chosen, String prefix,
            Consumer<String> log) {
        org.nmodal.evaluation.AblationProgress lines = new org.nmodal.evaluation.AblationProgress(prefix, chosen, 5,
                log);
        return new Evaluator.Progress() {
            @Override
            public void start(int total, int threads) {
                lines.start(total, threads);
            }

            @Override
            public void result(Evaluator.Result r, int done, int total) {
                state = "running " + spec.id() + ": " + prefix + "evaluating " + done + "/" + total;
                lines.result(r, done, total);
            }
        };
    }

    /**
     * A cross-validated run ({@code data.folds}): per fold, heads trained on the other folds but the next one (which
     * stops them early), classifiers fitted on train and dev and scored on the fold; each fold's report, provenance
     * and checkpoints in its sub-folder, and the mean ± sd over folds in the run's folder. Features are read once
     * (and cached); everything fitted is fitted again per fold, so no fold's test posts reach its training.
     */
    private RunResult crossValidate(PipelineDefinition all, FeatureSet set, Path dir, long t0, String started,
            Consumer<String> log, RunListener listener, boolean resume) throws IOException {
        String where = all.file().getFileName() + ": data.folds '" + all.folds() + "': ";
        if (all.recommend() != null) {
            log.accept("recommend: hashtag recommendation is evaluated on the data's own split, not per fold");
        }
        String[] foldOf = set.folds();
        if (foldOf == null) {
            throw new InvalidInputException(where + "no post has this field");
        }
        int[] inFolds = java.util.stream.IntStream.range(0, foldOf.length)
                .filter(i -> foldOf[i] != null && !foldOf[i].isBlank()).toArray();
        PipelineDefinition present = all.withModalities(DataChecks.modalities(all, set, inFolds, log));
        PipelineDefinition spec = present.withTasks(DataChecks.tasks(present, set, inFolds, null, log));
        List<Splits.Fold> folds;
        try {
            folds = Splits.crossValidation(foldOf);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + e.getMessage());
        }
        long without = java.util.Arrays.stream(foldOf).filter(v -> v == null || v.isBlank()).count();
        log.accept(String.format(Locale.ROOT, "cross-validation on %s: %d folds %s%s", spec.folds(), folds.size(),
                folds.stream().map(f -> f.value() + " (" + f.test().length + ")").toList(),
                without == 0 ? "" : ", " + without + " post(s) without a fold take no part"));
        SubsetRule.Chosen chosen = chosen(spec, log);
        var fusion = parts.fusion(spec.fusion(), "fusion");
        Map<String, DownstreamClassifier> classifiers = new LinkedHashMap<>();
        for (String c : spec.classifiers()) {
            classifiers.put(c, org.nmodal.evaluation.ConfiguredClassifier.of(parts.classifier(c, "classifiers"),
                    spec.classifierSettings().get(c)));
        }
        Map<String, String[]> labels = new LinkedHashMap<>();
        spec.tasks().forEach(task -> labels.put(task, set.labels(task)));
        PipelineSpec.Training t = spec.training();
        List<Report> reports = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<JsonObject> robust = new ArrayList<>();
        List<Evaluator.Retrieval> pooled = new ArrayList<>();
        for (Splits.Fold fold : folds) {
            long f0 = System.nanoTime();
            String prefix = String.format(Locale.ROOT, "fold %d/%d (%s): ", fold.index() + 1, folds.size(), fold.value());
            Path sub = dir.resolve(Report.foldFolder(fold.value()));
            Files.createDirectories(sub);
            log.accept(String.format(Locale.ROOT, "%s%d train, %d dev (fold %s), %d test", prefix, fold.train().length,
                    fold.dev().length, folds.get((fold.index() + 1) % folds.size()).value(), fold.test().length));
            NoisyPairs.Corruption inputs = inputs(spec, set, fold.train(), prefix, log);
            Map<String, float[][]> raw = inputs.features();
            HeadTrainer.Result heads = heads(spec, raw, fold.train(), fold.dev(),
                    DataChecks.contrastable(spec, set, fold.train(), log), sub, resume, prefix, listener, log);
            state = "running " + spec.id() + ": " + prefix + "evaluating";
            int[] fit = Splits.fit(fold.train(), fold.dev());
            List<Evaluator.Result> results = Evaluator.ablation(pytorch, chosen, raw, heads.aligned(),
                    spec.projectionDim(), fusion, spec.fusionSettings(), classifiers, labels, fit, fold.test(), t.seed(),
                    spec.experiment().lateFusion(), progress(spec, chosen, prefix, log));
            List<Evaluator.Retrieval> retrieval = Evaluator.retrieval(spec.modalities(), heads.aligned(), fold.test());
            float[][] map = FusionFitter.fuse(pytorch, heads.aligned(), new FusionFitter.Fusing(fusion,
                    spec.fusionSettings(), spec.modalities(), spec.projectionDim()));
            Report report = new Report(spec, set, heads, results, retrieval, map, fold.test(),
                    (System.nanoTime() - f0) / 1e9);
            pooled.addAll(retrieval);
            JsonObject r = robustness(spec, inputs, fold.train(), retrieval, heads.sampleWeights());
            if (r != null) {
                Robustness.addTo(report, r, line -> log.accept(prefix + line));
                robust.add(r);
            }
            report.provenance(Provenance.manifest(parts, spec, spec.encodersUsed(), spec.classifiers(), started,
                    (System.nanoTime() - t0) / 1e9));
            report.write(sub);
            reports.add(report);
            values.add(fold.value());
        }
        Report report = Report.crossValidated(spec, set, spec.folds(), values, reports, (System.nanoTime() - t0) / 1e9);
        if (!robust.isEmpty()) {
            Robustness.addTo(report, Robustness.withFolds(robustness(spec, new NoisyPairs.Corruption(Map.of(), null, 0),
                    new int[0], pooled, null), values, robust), log);
        }
        report.provenance(Provenance.manifest(parts, spec, spec.encodersUsed(), spec.classifiers(), started,
                (System.nanoTime() - t0) / 1e9));
        report.write(dir);
        state = "idle (last run: " + spec.id() + ", report " + dir.resolve("report.html") + ")";
        return new RunResult(dir, report.summary());
    }

    /** The inputs of heads trained on {@code train}: group means (context), noisy pairs, standardised on train. */
    private static NoisyPairs.Corruption inputs(PipelineDefinition spec, FeatureSet set, int[] train, String prefix,
            Consumer<String> log) {
        Map<String, float[][]> raw = new LinkedHashMap<>();
        for (String m : spec.modalities()) {
            raw.put(m, set.groups() == null ? set.features(m) : Context.withGroupMean(set.features(m), set.groups()));
        }
        PipelineDefinition.Experiment x = spec.experiment();
        NoisyPairs.Corruption in = NoisyPairs.standardised(raw, spec.modalities(), train, x.noisyPairs(),
                x.noisyModality(), spec.training().seed());
        if (x.noisyPairs() > 0) {
            log.accept(prefix + in.summary(train.length));
        }
        return in;
    }

    /** The noisy-pair section of a run's or a fold's report, or null without noise and reweighter. */
    private static JsonObject robustness(PipelineDefinition spec, NoisyPairs.Corruption inputs, int[] train,
            List<Evaluator.Retrieval> retrieval, float[] weights) {
        PipelineDefinition.Experiment x = spec.experiment();
        return x.noisyPairs() == 0 && x.reweighter() == null ? null : Robustness.json(x.noisyPairs(),
                x.noisyModality(), spec.training().seed(), inputs.modalityOf(), inputs.corrupted(), train, retrieval,
                weights);
    }

    /** Heads trained on {@code train}, stopped early on {@code dev}, the pipeline's reweighter weighing the losses. */
    private HeadTrainer.Result heads(PipelineDefinition spec, Map<String, float[][]> raw, int[] train, int[] dev,
            boolean learnable, Path dir, boolean resume, String prefix, RunListener listener, Consumer<String> log)
            throws IOException {
        state = "running " + spec.id() + ": " + prefix + "training projection heads";
        epochs.clear();
        live = new RunStatus(state, spec.id(), spec.training().epochs(), List.of());
        HeadTrainer trainer = new HeadTrainer(pytorch, spec.modalities(), raw, spec.projectionDim(), spec.dropout());
        PipelineDefinition.Experiment x = spec.experiment();
        if (x.reweighter() != null) {
            var reweighter = parts.reweighter(x.reweighter(), spec.file().getFileName() + ": reweighter.name");
            trainer.reweighting(manager -> reweighter.create(x.reweighterSettings(), manager));
        }
        var loss = parts.loss(spec.loss(), "loss.name");
        PipelineSpec.Training t = spec.training();
        HeadTrainer.Result heads = trainer.train(train, dev, manager -> loss.create(spec.lossSettings(), manager),
                learnable ? t.epochs() : 0, t.batch(), t.lr(), t.weightDecay(), t.patience(), t.seed(),
                dir.resolve("checkpoints/heads.bin"), resume, (e, max, eta) -> {
                    state = String.format(Locale.ROOT, "running %s: %sepoch %d/%d", spec.id(), prefix, e.epoch(), max);
                    epochs.add(e);
                    listener.epoch(e, max, eta);
                    log.accept(String.format(Locale.ROOT,
                            "%sepoch %3d/%d  train loss %.4f  dev loss %.4f  lr %.2g  %.1f s  eta %.0f s", prefix,
                            e.epoch(), max, e.trainLoss(), e.devLoss(), e.lr(), e.seconds(), eta));
                });
        log.accept(String.format(Locale.ROOT, "%sheads trained in %.1f s, best epoch %d%s", prefix, heads.seconds(),
                heads.bestEpoch(), heads.recoveries() == 0 ? "" : ", " + heads.recoveries()
                        + " non-finite step(s) undone (weights restored, learning rate halved)"));
        return heads;
    }

    private static PipelineDefinition withoutEmptyModalities(PipelineDefinition spec, FeatureSet set, Consumer<String> log) {
        List<String> kept = new ArrayList<>();
        for (String m : spec.modalities()) {
            if (Rows.width(set.features(m)) >= 0) {
                kept.add(m);
            } else {
                String line = m + ": no post could be encoded" + (spec.encodersUsed().containsKey(m) ? " by "
                        + spec.encodersUsed().get(m) : "") + " (see the errors); the run goes on without " + m;
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
        return spec.withModalities(List.copyOf(kept));
    }

}
