package org.nmodal.serving.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.data.Standardizer;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.serving.VersionInfo;
import org.nmodal.djl.NoGrad;
import org.nmodal.evaluation.Evaluator;
import org.nmodal.training.Batches;
import org.nmodal.training.FusionFitter;
import org.nmodal.training.ProjectionHead;
import java.util.function.Function;
import java.util.stream.Stream;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.SupervisedFusion;
import org.nmodal.api.fusion.SupervisedFusionStrategy;

/**
 * One trained version of a served pipeline: for each modality the encoder it expects, the scaler and the projection
 * head; for each task the fusion weights and the downstream classifier. Immutable once built, so requests that hold
 * it finish on it while a newer version takes over. Stored as {@code <models>/<pipeline>/v<N>/} (written under a
 * temporary name, then moved).
 */
final class ModelVersion {
    /**
     * One modality of the version. An adapted stream names its metadata adapter; one whose adapter gives vectors has
     * no encoder (null) and an empty encoder version.
     */
    record Part(String modality, String encoder, String encoderVersion, Standardizer scaler, float[][] head,
            String adapter) {
        /** A modality the posts carry, encoded by {@code encoder}. */
        Part(String modality, String encoder, String encoderVersion, Standardizer scaler, float[][] head) {
            this(modality, encoder, encoderVersion, scaler, head, null);
        }
    }

    /**
     * One task of the version: classes, the fitted classifier and the fusion's learned weights (often none); with a
     * supervised fusion ({@code "fusion": "sentiformer"}), also its trained weights, which then give the answer.
     */
    record Task(String task, List<String> classes, String classifier, TrainedClassifier model, float[][] fusion,
            double accuracy, double macroF1, int testPosts, float[][] supervised) {
        /** A task answered by its classifier. */
        Task(String task, List<String> classes, String classifier, TrainedClassifier model, float[][] fusion,
                double accuracy, double macroF1, int testPosts) {
            this(task, classes, classifier, model, fusion, accuracy, macroF1, testPosts, null);
        }
    }

    /** What a prediction answers. */
    record Prediction(String version, List<String> modalities, Map<String, String> labels,
            Map<String, Map<String, Double>> probabilities) {}

    /** The version as the serving API shows it. */
    VersionInfo info() {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        tasks.forEach(t -> accuracy.put(t.task(), t.accuracy()));
        return new VersionInfo(number, parent, modalities(), accuracy, origin, served.get(), summary());
    }

    final String pipeline;
    final int number;
    final int parent;
    final String origin;
    final String created;
    final String configHash;
    final int dim;
    final String fusion;
    final List<Part> parts;
    final List<Task> tasks;
    final AtomicLong served = new AtomicLong();
    /** Where the version comes from (components, bundles, licences, data, seed, times); empty for old stores. */
    final JsonObject provenance;

    ModelVersion(String pipeline, int number, int parent, String origin, String created, String configHash, int dim,
            String fusion, List<Part> parts, List<Task> tasks, JsonObject provenance) {
        this.provenance = provenance == null ? new JsonObject() : provenance;
        this.pipeline = pipeline;
        this.number = number;
        this.parent = parent;
        this.origin = origin;
        this.created = created;
        this.configHash = configHash;
        this.dim = dim;
        this.fusion = fusion;
        this.parts = List.copyOf(parts);
        this.tasks = List.copyOf(tasks);
    }

    String label() {
        return pipeline + "/v" + number;
    }

    List<String> modalities() {
        return parts.stream().map(Part::modality).toList();
    }

    Part part(String modality) {
        return parts.stream().filter(p -> p.modality().equals(modality)).findFirst().orElse(null);
    }

    /** A one-line summary: modalities and each task's test accuracy. */
    String summary() {
        StringBuilder b = new StringBuilder("v" + number + " " + modalities());
        for (Task t : tasks) {
            b.append(String.format(java.util.Locale.ROOT, " %s %.4f", t.task(), t.accuracy()));
        }
        return b.append(" (").append(origin).append(")").toString();
    }

    /** Fused embeddings and class probabilities of many posts for one task, and each modality's own embeddings. */
    record Scores(float[][] fused, double[][] probabilities, Map<String, float[][]> embeddings) {}

    /**
     * Predicts from the encoders' raw vectors of one post (modalities it lacks are absent from the map).
     *
     * @param strategy the fusion strategy named by the pipeline
     */
    Prediction predict(Engine engine, FusionStrategy strategy, Map<String, Object> settings, Map<String, float[]> raw) {
        List<String> used = modalities().stream().filter(raw::containsKey).toList();
        Map<String, Scores> scores = score(engine, strategy, settings, List.of(raw));
        served.incrementAndGet();
        return prediction(scores, 0, used);
    }

    /** Row {@code i} of {@link #score}'s result as a prediction: each task's label and class probabilities. */
    Prediction prediction(Map<String, Scores> scores, int i, List<String> used) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Map<String, Double>> probabilities = new LinkedHashMap<>();
        for (Task t : tasks) {
            double[] p = scores.get(t.task()).probabilities()[i];
            Map<String, Double> byClass = new LinkedHashMap<>();
            for (int c = 0; c < p.length; c++) {
                byClass.put(t.classes().get(c), p[c]);
            }
            labels.put(t.task(), t.classes().get(Evaluator.argmax(p)));
            probabilities.put(t.task(), byClass);
        }
        return new Prediction("v" + number, used, labels, probabilities);
    }

    /** Scores many posts at once: per task, the fused embedding and the class probabilities of each post. */
    Map<String, Scores> score(Engine engine, FusionStrategy strategy, Map<String, Object> settings,
            List<Map<String, float[]>> raw) {
        List<String> modalities = modalities();
        int n = raw.size();
        Map<String, float[][]> scaled = new HashMap<>();
        Map<String, Integer> widths = new HashMap<>();
        for (Part p : parts) {
            float[][] x = new float[n][];
            for (int i = 0; i < n; i++) {
                x[i] = p.scaler().apply(raw.get(i).get(p.modality()));
            }
            scaled.put(p.modality(), x);
            widths.put(p.modality(), p.scaler().dimension());
        }
        Map<String, Scores> out = new LinkedHashMap<>();
        // request threads must not record graphs (grad mode is per thread and on by default)
        try (NoGrad g = NoGrad.enter(); NDManager manager = engine.newBaseManager()) {
            Map<String, ProjectionHead> heads = new HashMap<>();
            parts.forEach(p -> heads.put(p.modality(), ProjectionHead.frozen(manager, p.head())));
            // a missing modality's row must be zeros, as the fused training embeddings were
            ModalityBatch batch = Batches.build(manager, modalities, scaled, Batches.all(n), widths::get,
                    (m, in) -> heads.get(m).forward(in, false), true);
            ModalityBatch inputs = null;
            Map<String, float[][]> embedded = new LinkedHashMap<>();
            for (String m : modalities) {
                float[][] e = Batches.split(batch.embeddings(m).toFloatArray(), n, dim);
                for (int i = 0; i < n; i++) {
                    e[i] = scaled.get(m)[i] == null ? null : e[i];
                }
                embedded.put(m, e);
            }
            for (Task t : tasks) {
                Fusion f = strategy.create(modalities, dim, settings, manager);
                FusionFitter.setWeights(f, t.fusion());
                float[][] fused = Batches.split(f.fuse(batch).toFloatArray(), n, f.outputDimension());
                if (t.supervised() != null && strategy instanceof SupervisedFusionStrategy sup) {
                    // the supervised fusion learned from the standardised inputs themselves, as in the run's ablation
                    if (inputs == null) {
                        inputs = Batches.build(manager, modalities, scaled, Batches.all(n), widths::get, null, false);
                    }
                    out.put(t.task(), new Scores(fused, supervised(sup, settings, t, widths, inputs, n, manager),
                            embedded));
                } else {
                    out.put(t.task(), new Scores(fused, t.model().probabilities(fused), embedded));
                }
            }
        }
        return out;
    }

    /**
     * Throws when a task's stored supervised fusion does not fit the fusion running now (a newer bundle changed its
     * layout), so that a stored version is retrained rather than failing every request.
     */
    void checkFusion(Engine engine, FusionStrategy strategy, Map<String, Object> settings) {
        for (Task t : tasks) {
            if (t.supervised() == null) {
                continue;
            }
            if (!(strategy instanceof SupervisedFusionStrategy sup)) {
                throw new IllegalStateException("task " + t.task() + " was answered by a supervised fusion; "
                        + strategy.name() + " is not one");
            }
            Map<String, Integer> dims = new LinkedHashMap<>();
            parts.forEach(p -> dims.put(p.modality(), Math.max(1, p.scaler().dimension())));
            try (NDManager manager = engine.newBaseManager()) {
                List<ai.djl.ndarray.NDArray> params = sup.createSupervised(new FusionTask(modalities(), dims,
                        t.classes().size(), 0), settings, manager).parameters();
                boolean fits = params.size() == t.supervised().length;
                for (int i = 0; fits && i < params.size(); i++) {
                    fits = params.get(i).size() == t.supervised()[i].length;
                }
                if (!fits) {
                    throw new IllegalStateException("the stored " + strategy.name() + " weights of task " + t.task()
                            + " do not fit the running " + strategy.name() + " (its layout changed)");
                }
            }
        }
    }

    /** Class probabilities from a task's stored supervised fusion. */
    private double[][] supervised(SupervisedFusionStrategy sup, Map<String, Object> settings, Task t,
            Map<String, Integer> widths, ModalityBatch inputs, int n, NDManager manager) {
        Map<String, Integer> dims = new LinkedHashMap<>();
        modalities().forEach(m -> dims.put(m, Math.max(1, widths.get(m))));
        SupervisedFusion f = sup.createSupervised(new FusionTask(modalities(), dims, t.classes().size(), 0), settings,
                manager);
        FusionFitter.setWeights(f, t.supervised());
        float[][] p = Batches.split(f.logits(inputs, false).softmax(1).toFloatArray(), n, t.classes().size());
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[p[i].length];
            for (int c = 0; c < p[i].length; c++) {
                out[i][c] = p[i][c];
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- storage

    /** Writes the version into {@code <pipelineDir>/v<N>}: a temporary folder first, moved into place when complete. */
    Path save(Path pipelineDir, Map<String, Object> metrics) throws IOException {
        Files.createDirectories(pipelineDir);
        Path tmp = Files.createTempDirectory(pipelineDir, ".v" + number + "-");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(tmp.resolve("weights.bin"))))) {
                for (Part p : parts) {
                    writeArrays(out, new float[][] {p.scaler().mean(), p.scaler().scale()});
                    writeArrays(out, p.head());
                }
                for (Task t : tasks) {
                    writeArrays(out, t.fusion());
                }
                // after everything an older version stored, so those still read
                for (Task t : tasks) {
                    if (t.supervised() != null) {
                        writeArrays(out, t.supervised());
                    }
                }
            }
            for (Task t : tasks) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(
                        "classifier-" + t.task() + ".bin")))) {
                    t.model().save(out);
                }
            }
            JsonObject o = new JsonObject();
            o.addProperty("pipeline", pipeline);
            o.addProperty("version", number);
            o.addProperty("parent", parent);
            o.addProperty("origin", origin);
            o.addProperty("created", created);
            o.addProperty("configHash", configHash);
            o.addProperty("dim", dim);
            o.addProperty("fusion", fusion);
            JsonArray ps = new JsonArray();
            for (Part p : parts) {
                JsonObject j = new JsonObject();
                j.addProperty("modality", p.modality());
                j.addProperty("encoder", p.encoder());
                j.addProperty("encoderVersion", p.encoderVersion());
                if (p.adapter() != null) {
                    j.addProperty("adapter", p.adapter());
                }
                j.addProperty("inputDimension", p.scaler().dimension());
                ps.add(j);
            }
            o.add("modalities", ps);
            JsonArray ts = new JsonArray();
            for (Task t : tasks) {
                JsonObject j = new JsonObject();
                j.addProperty("task", t.task());
                j.addProperty("classifier", t.classifier());
                JsonArray cs = new JsonArray();
                t.classes().forEach(cs::add);
                j.add("classes", cs);
                j.addProperty("testAccuracy", t.accuracy());
                j.addProperty("testMacroF1", t.macroF1());
                j.addProperty("testPosts", t.testPosts());
                j.addProperty("supervised", t.supervised() != null);
                // the classifier's file is still written (it scores the fused embeddings); the fusion answers
                j.addProperty("answeredBy", t.supervised() != null ? fusion : t.classifier());
                ts.add(j);
            }
            o.add("tasks", ts);
            Gson gson = new GsonBuilder().setPrettyPrinting().create();
            o.add("metrics", gson.toJsonTree(metrics));
            o.add("provenance", provenance);
            Files.writeString(tmp.resolve("model.json"), gson.toJson(o) + "\n", StandardCharsets.UTF_8);
            Path target = pipelineDir.resolve("v" + number);
            if (Files.exists(target)) {
                throw new IOException(target + " exists already");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Reads a stored version; {@code classifiers} finds the classifier service that reads each task's model. */
    static ModelVersion load(Path dir, Function<String, DownstreamClassifier> classifiers) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("model.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        List<Part> parts = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(dir.resolve("weights.bin"))))) {
            for (var e : o.getAsJsonArray("modalities")) {
                JsonObject j = e.getAsJsonObject();
                float[][] scaler = readArrays(in);
                parts.add(new Part(j.get("modality").getAsString(), j.has("encoder") && !j.get("encoder").isJsonNull()
                        ? j.get("encoder").getAsString() : null, j.get("encoderVersion").getAsString(),
                        new Standardizer(scaler[0], scaler[1]), readArrays(in),
                        j.has("adapter") ? j.get("adapter").getAsString() : null));
            }
            for (var e : o.getAsJsonArray("tasks")) {
                JsonObject j = e.getAsJsonObject();
                String task = j.get("task").getAsString();
                String classifier = j.get("classifier").getAsString();
                List<String> classes = new ArrayList<>();
                j.getAsJsonArray("classes").forEach(c -> classes.add(c.getAsString()));
                float[][] fusion = readArrays(in);
                TrainedClassifier model;
                try (InputStream cin = new BufferedInputStream(Files.newInputStream(dir.resolve(
                        "classifier-" + task + ".bin")))) {
                    model = classifiers.apply(classifier).load(cin);
                }
                tasks.add(new Task(task, classes, classifier, model, fusion, j.get("testAccuracy").getAsDouble(),
                        j.get("testMacroF1").getAsDouble(), j.get("testPosts").getAsInt()));
            }
            JsonArray stored = o.getAsJsonArray("tasks");
            for (int k = 0; k < tasks.size(); k++) {
                JsonObject j = stored.get(k).getAsJsonObject();
                if (j.has("supervised") && j.get("supervised").getAsBoolean()) {
                    Task t = tasks.get(k);
                    tasks.set(k, new Task(t.task(), t.classes(), t.classifier(), t.model(), t.fusion(), t.accuracy(),
                            t.macroF1(), t.testPosts(), readArrays(in)));
                }
            }
        }
        return new ModelVersion(o.get("pipeline").getAsString(), o.get("version").getAsInt(),
                o.get("parent").getAsInt(), o.get("origin").getAsString(), o.get("created").getAsString(),
                o.get("configHash").getAsString(), o.get("dim").getAsInt(), o.get("fusion").getAsString(), parts, tasks,
                o.has("provenance") ? withMetrics(o) : null);
    }

    /** The stored provenance with the version's metrics next to it, as nmodal:provenance prints it. */
    static JsonObject withMetrics(JsonObject model) {
        JsonObject p = model.getAsJsonObject("provenance").deepCopy();
        p.addProperty("version", "v" + model.get("version").getAsInt());
        p.addProperty("parent", model.get("parent").getAsInt() == 0 ? "none" : "v" + model.get("parent").getAsInt());
        p.addProperty("origin", model.get("origin").getAsString());
        p.addProperty("created", model.get("created").getAsString());
        p.addProperty("configHash", model.get("configHash").getAsString());
        p.add("metrics", model.get("metrics"));
        return p;
    }

    /** The stored versions of a pipeline, oldest first; folders that do not read are skipped with a line each. */
    /**
     * Deletes the temporary folders ({@code <id>/.v<N>-*}) that a runtime killed while saving a version left in the
     * trained-models folder; called on start, when no save of this runtime can be under way. The deleted folders.
     */
    static List<Path> removeLeftovers(Path trainedRoot) throws IOException {
        if (!Files.isDirectory(trainedRoot)) {
            return List.of();
        }
        List<Path> removed = new java.util.ArrayList<>();
        try (Stream<Path> pipelines = Files.list(trainedRoot)) {
            for (Path dir : pipelines.filter(Files::isDirectory).toList()) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path tmp : s.filter(p -> p.getFileName().toString().matches("\\.v\\d+-.*")
                            && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                        try (Stream<Path> all = Files.walk(tmp)) {
                            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                                Files.deleteIfExists(f);
                            }
                        }
                        removed.add(tmp);
                    }
                }
            }
        }
        return removed;
    }

    static List<Path> stored(Path pipelineDir) throws IOException {
        if (!Files.isDirectory(pipelineDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(pipelineDir)) {
            return s.filter(p -> p.getFileName().toString().matches("v\\d+") && Files.isRegularFile(p.resolve("model.json")))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(1))))
                    .toList();
        }
    }

    private static void writeArrays(DataOutputStream out, float[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (float[] a : arrays) {
            out.writeInt(a.length);
            for (float f : a) {
                out.writeFloat(f);
            }
        }
    }

    private static float[][] readArrays(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 16) {
            throw new IOException("weights.bin is damaged (" + n + " arrays)");
        }
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > 1 << 28) {
                throw new IOException("weights.bin is damaged (array of " + len + ")");
            }
            out[i] = new float[len];
            for (int k = 0; k < len; k++) {
                out[i][k] = in.readFloat();
            }
        }
        return out;
    }
}
