package org.nmodal.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.demo.DemoGenerator;
import org.nmodal.data.FeatureCache;
import org.nmodal.embed.EmbeddedRuntime;

/**
 * nmodal-spark against the single-machine run on a small generated data set (text through MiniLM, images through
 * the classic features; a few images truncated on purpose and one broken line), on {@code local[2]} and on
 * {@code local-cluster[2,1,1024]} (two executor JVMs, each starting its own embedded runtime): the same vectors to
 * 1e-6, the same best all-modality stance accuracy to 1 point, every problem reported per post, the job finished;
 * and a bundle of misbehaving encoders in the load folder costs only its own inputs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkPipelineTest {
    static final int POSTS = 240;
    static final List<String> CORRUPT = List.of("p00003", "p00010", "p00100");
    static Path target;
    static Path data;
    static Path pipeline;
    static EmbeddedRuntime nmodal;
    /** The single-machine run's vectors, by encoder and cache entry. */
    static final Map<String, Map<String, float[]>> single = new HashMap<>();
    static double singleBest;
    static SparkSession spark;

    @BeforeAll
    static void singleMachineRun() throws Exception {
        target = Path.of(System.getProperty("nmodal.test.work", "target/work")).toAbsolutePath().getParent();
        Path work = target.resolve("work");
        Path load = target.resolve("load");
        deleteTree(target.resolve("spark-test"));
        Files.createDirectories(load);
        Files.copy(Path.of(System.getProperty("nmodal.misbehaving.jar")), load.resolve("misbehaving.jar"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.setProperty("nmodal.work", work.toString());
        System.setProperty("nmodal.load", load.toString());
        // local-cluster executors: a Spark home without jars (the class path comes from this JVM), see the pom
        Files.createDirectories(Path.of(System.getenv().getOrDefault("SPARK_HOME", target.resolve("spark-home")
                .toString())).resolve("jars"));
        nmodal = RuntimeSettings.of(PipelineFile.read(writePipeline(target.resolve("probe.json"), null)).spark)
                .runtime();
        data = target.resolve("spark-test/posts");
        DemoGenerator.generate(data, new DemoGenerator.Settings(POSTS, 3, 0, 11), nmodal.mediaWriter(), l -> {});
        List<String> lines = Files.readAllLines(data.resolve("posts.jsonl"));
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (CORRUPT.contains(o.get("id").getAsString())) {
                Path img = data.resolve(o.get("image").getAsString());
                Files.write(img, java.util.Arrays.copyOf(Files.readAllBytes(img), 40));
            }
        }
        Files.writeString(data.resolve("posts.jsonl"), "{\"id\": \"broken\", \"text\": \n", StandardOpenOption.APPEND);
        pipeline = writePipeline(target.resolve("spark-test/pipeline.json"), Map.of("text", "minilm",
                "image", "image-classic"));

        var result = nmodal.pipelines().run(pipeline, null, target.resolve("spark-test/single"), l -> {});
        singleBest = bestAllModality(result.folder().resolve("report.json"), "stance");
        for (String name : List.of("minilm", "image-classic")) {
            ModalityEncoder e = nmodal.encoder(name);
            single.put(name, new FeatureCache(nmodal.pipelines().work().cache())
                    .load(name, FeatureCache.key(e.version(), name + "/" + e.dimension())));
        }
        assertTrue(single.get("minilm").size() >= POSTS, "the single-machine run encoded every text");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
    }

    /** One session per mode: local[2] first, then local-cluster (whose executors, once up, serve both its tests). */
    static void session(String master) {
        if (spark != null && !spark.sparkContext().master().equals(master)) {
            stopSpark();
        }
        if (spark == null) {
            spark = master.startsWith("local-cluster") ? cluster() : SparkSession.builder().master(master)
                    .appName("nmodal-test").config("spark.ui.enabled", false)
                    .config("spark.sql.shuffle.partitions", 4).getOrCreate();
        }
    }

    @Test
    @Order(1)
    void localTwoThreadsMatchTheSingleMachineRunAndPredictWithTheStoredModel() throws Exception {
        session("local[2]");
        Path out = target.resolve("spark-test/local");
        var summary = runSpark(pipeline.toString(), "--out", out.toString());
        checkAgainstTheSingleMachineRun(out, summary);

        Path scored = target.resolve("spark-test/local-predict");
        var predicted = runSpark(pipeline.toString(), "--out", scored.toString(), "--steps", "predict", "--model",
                out.resolve("model").toString(), "--classifier", "logistic");
        assertEquals(POSTS, predicted.predictions(), "one prediction per post and task");
        List<Row> p = spark.read().parquet(scored.resolve("predictions").toString()).collectAsList();
        assertTrue(p.stream().allMatch(r -> Set.of("pro", "anti", "neutral").contains(r.getString(3))
                && r.getDouble(4) >= 0.3 && r.getDouble(4) <= 1.0), p.subList(0, 3).toString());

        // a stored model version of nmodal's serving, scored on the executors: serving's own numbers
        servingReference();
        Path version = nmodal.pipelines().work().version("spark-test", servedVersion);
        Path byVersion = target.resolve("spark-test/local-predict-version");
        checkPredictions(byVersion, runSpark(pipeline.toString(), "--data", predictPosts.toString(), "--out",
                byVersion.toString(), "--steps", "predict", "--model", version.toString()));
        // what is not a version is one line (exit status 2 from the command line), before any job
        assertTrue(assertThrows(InvalidInputException.class, () -> runSpark(pipeline.toString(), "--out",
                byVersion.toString(), "--steps", "predict", "--version", "99")).getMessage().matches(
                        "no model version v99 of pipeline 'spark-test' in .*trained/spark-test \\(stored: .*v"
                                + servedVersion + ".*\\)"));
        assertEquals(data + ": not a stored model version (expected a folder trained/<pipeline id>/v<N> with "
                + "model.json, or the model/ folder of a run that classified)", assertThrows(
                        InvalidInputException.class, () -> runSpark(pipeline.toString(), "--out", byVersion.toString(),
                                "--steps", "predict", "--model", data.toString())).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> runSpark(pipeline.toString(), "--out",
                byVersion.toString(), "--steps", "predict", "--model", version.toString(), "--classifier", "logistic"))
                .getMessage().startsWith("--classifier picks one of the MLlib models of a classify run"));
    }

    /** The version serving trained, its answers one post at a time (by id), and the posts it could not answer. */
    static int servedVersion;
    static Map<String, Answer> reference;
    static final Map<String, String> refused = new HashMap<>();
    static Path predictPosts;

    /**
     * Serves the pipeline as {@code runtime/nmodal serve} does (it trains and stores a version) and asks
     * {@code ServingService.predict} about 60 generated posts (two with a truncated image), a post whose only input
     * is a truncated image, and a broken line: the reference for nmodal-spark's predict. Run while the driver's
     * feature cache is full, so serving trains on cached features.
     */
    static void servingReference() throws IOException {
        if (reference != null) {
            return;
        }
        ServedPipeline served = nmodal.serving().serve(pipeline, null, l -> { });
        servedVersion = served.current().number();
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("posts.jsonl")).subList(0, 60));
        String image = lines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(o -> o.get("id").getAsString().equals(CORRUPT.get(0))).findFirst().orElseThrow()
                .get("image").getAsString();
        lines.add("{\"id\": \"only-image\", \"image\": \"" + image + "\"}");
        predictPosts = data.resolve("predict.jsonl");
        Files.write(predictPosts, lines);
        Files.writeString(predictPosts, "{\"id\": \"broken\", \"text\": \n", StandardOpenOption.APPEND);
        Map<String, Answer> answers = new HashMap<>();
        for (String line : lines) {
            String id = JsonParser.parseString(line).getAsJsonObject().get("id").getAsString();
            try {
                answers.put(id, nmodal.serving().predict("spark-test", line));
            } catch (InvalidInputException e) {
                refused.put(id, e.getMessage());
            }
        }
        nmodal.serving().unserve("spark-test");
        reference = answers;
        assertEquals(Set.of("only-image"), refused.keySet(), refused.toString());
    }

    /** nmodal-spark's predictions equal serving's answers: labels, class probabilities to 1e-6, inputs skipped. */
    static void checkPredictions(Path out, NModalSpark.Summary summary) {
        List<Row> rows = spark.read().parquet(out.resolve("predictions").toString()).collectAsList();
        assertEquals(reference.size() + refused.size() + 1, rows.size(), "a row per post (one task) and bad line");
        assertEquals(rows.size(), summary.predictions());
        double worst = 0;
        int skipped = 0;
        for (Row r : rows) {
            String id = r.getAs("post_id");
            String error = r.getAs("error");
            if (id == null) {
                assertTrue(error.startsWith("predict.jsonl:" + (reference.size() + 2) + ": "), error);
                continue;
            }
            if (refused.containsKey(id)) {
                assertEquals("post " + id + ": " + refused.get(id), error);
                assertNull(r.getAs("label"));
                continue;
            }
            Answer a = reference.get(id);
            assertEquals(null, error, id);
            assertEquals("stance", r.<String>getAs("task"));
            assertEquals("v" + servedVersion, r.<String>getAs("version"));
            assertEquals(a.labels().get("stance"), r.<String>getAs("label"), id);
            Map<String, Double> scores = r.getJavaMap(r.fieldIndex("scores"));
            assertEquals(a.probabilities().get("stance").keySet(), scores.keySet());
            for (Map.Entry<String, Double> e : a.probabilities().get("stance").entrySet()) {
                worst = Math.max(worst, Math.abs(e.getValue() - scores.get(e.getKey())));
            }
            assertEquals(a.modalities(), r.getList(r.fieldIndex("modalities")), id);
            assertEquals(a.skipped(), r.getList(r.fieldIndex("skipped")), id);
            skipped += a.skipped().size();
        }
        System.out.printf(Locale.ROOT, "predict: %d posts against serving's answers, largest difference %.2e%n",
                reference.size(), worst);
        assertTrue(worst <= 1e-6, "largest difference " + worst);
        assertEquals(2, skipped, "the two truncated images among the 60 posts are skipped, the posts scored on text");
    }

    @Test
    @Order(2)
    void localClusterExecutorsMatchTheSingleMachineRun() throws Exception {
        session("local-cluster[2,1,1024]");
        Path out = target.resolve("spark-test/cluster");
        // MLlib ran on local[2]; here the executors encode and the driver trains
        var summary = runSpark(pipeline.toString(), "--out", out.toString(), "--steps", "encode,train");
        checkAgainstTheSingleMachineRun(out, summary);
        // the work happened in the executor JVMs: their runtimes, not the driver's, encoded
        assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executors besides the driver");
        // the driver JVM runs no task here: every start counted is an executor's own (one per JVM; a busy machine
        // may hand all partitions to the executor that registered first)
        assertTrue(summary.runtimeStarts() >= 1 && summary.runtimeStarts() <= 2, "starts " + summary.runtimeStarts());

        // the stored serving version scored in the executor JVMs (each opens it through its own runtime)
        servingReference();
        Path scored = target.resolve("spark-test/cluster-predict");
        checkPredictions(scored, runSpark(pipeline.toString(), "--data", predictPosts.toString(), "--out",
                scored.toString(), "--steps", "predict", "--version", String.valueOf(servedVersion)));
    }

    @Test
    @Order(3)
    void aMisbehavingEncoderBundleCostsOnlyItsInputsOnTheExecutors() throws Exception {
        session("local-cluster[2,1,1024]");
        Path bad = writePipeline(target.resolve("spark-test/bad.json"), Map.of("text", "bad-throws",
                "image", "image-classic"));
        Path out = target.resolve("spark-test/cluster-bad");
        var summary = runSpark(bad.toString(), "--out", out.toString(), "--steps", "encode");
        assertEquals(POSTS, summary.posts());
        List<Row> errors = spark.read().parquet(out.resolve("errors").toString()).collectAsList();
        long textErrors = errors.stream().filter(r -> "text".equals(r.getString(2))
                && r.getString(4).contains("bad-throws") && r.getString(4).contains("out of cheese")).count();
        assertEquals(POSTS, textErrors, "one line per post for the throwing encoder");
        long images = spark.read().parquet(out.resolve("features").toString()).filter("modality = 'image'").count();
        assertEquals(POSTS - CORRUPT.size(), images, "the other encoder went on");
    }

    private static SparkSession cluster() {
        String djl = System.getProperty("DJL_CACHE_DIR");
        return SparkSession.builder().master("local-cluster[2,1,1024]").appName("nmodal-test")
                .config("spark.ui.enabled", false)
                .config("spark.sql.shuffle.partitions", 4)
                // a loaded build machine can stall an executor for minutes: no heartbeat verdict before that
                .config("spark.network.timeout", "600s")
                .config("spark.executor.heartbeatInterval", "60s")
                // executors run with this JVM's class path: the classes under test and their dependencies
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .config("spark.executor.extraJavaOptions", "-Dai.djl.pytorch.num_threads=1 "
                        + "-Dai.djl.pytorch.num_interop_threads=1" + (djl == null ? "" : " -DDJL_CACHE_DIR=" + djl))
                .getOrCreate();
    }

    private static void checkAgainstTheSingleMachineRun(Path out, NModalSpark.Summary summary) throws IOException {
        assertEquals(POSTS, summary.posts());
        // every vector equal to the single-machine run's, to 1e-6
        int compared = 0;
        double worst = 0;
        for (Row r : spark.read().parquet(out.resolve("features").toString())
                .select("encoder", "entry", "vector").collectAsList()) {
            float[] mine = FusedFeatures.floats(r.getList(2));
            float[] theirs = single.get(r.getString(0)).get(r.getString(1));
            assertTrue(theirs != null, "single-machine run has " + r.getString(1));
            for (int j = 0; j < mine.length; j++) {
                worst = Math.max(worst, Math.abs(mine[j] - theirs[j]));
            }
            compared++;
        }
        System.out.printf(Locale.ROOT, "features: %d vectors compared, largest difference %.2e%n", compared, worst);
        assertEquals(2 * POSTS - CORRUPT.size(), compared);
        assertTrue(worst <= 1e-6, "largest difference " + worst);
        // problems per post: the truncated images and the broken line; none of them stopped the job
        Set<String> imageErrors = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (Row r : spark.read().parquet(out.resolve("errors").toString()).collectAsList()) {
            lines.add(r.getString(4));
            if ("image".equals(r.getString(2))) {
                imageErrors.add(r.getString(1));
            }
        }
        assertEquals(new TreeSet<>(CORRUPT), imageErrors, lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("posts.jsonl:" + (POSTS + 1) + ": ")), lines.toString());
        // the driver's report: best all-modality stance accuracy within 1 point of the single-machine run
        String runLog = Files.readString(summary.report().resolve("run.log"));
        assertTrue(runLog.contains("text: minilm, " + POSTS + " from cache, 0 encoded")
                // failures are not cached: the driver tries the truncated images again (and fails again, quickly)
                && runLog.contains("image: image-classic, " + (POSTS - CORRUPT.size()) + " from cache, "
                        + CORRUPT.size() + " encoded"), runLog);
        double best = bestAllModality(summary.report().resolve("report.json"), "stance");
        System.out.printf(Locale.ROOT, "stance, all modalities: best %.4f (single machine %.4f)%n", best, singleBest);
        assertTrue(Math.abs(best - singleBest) <= 0.01, best + " vs " + singleBest);
        if (summary.classify().isEmpty()) {
            return;
        }
        // MLlib on the fused features: every classifier scored with the report's metrics, and it learned
        assertEquals(4, summary.classify().size());
        for (NModalSpark.Metrics c : summary.classify()) {
            assertTrue(c.accuracy() > 0.5 && c.macroF1() > 0.3, c.toString());
        }
        double mllib = summary.classify().stream().mapToDouble(NModalSpark.Metrics::accuracy).max().orElse(0);
        System.out.printf(Locale.ROOT, "stance, MLlib on the fused raw features: best %.4f%n", mllib);
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** Runs nmodal-spark with an empty driver cache, so the driver can only train on what the executors encoded. */
    static NModalSpark.Summary runSpark(String... args) throws IOException {
        deleteTree(nmodal.pipelines().work().cache());
        return NModalSpark.run(spark, NModalSpark.Args.parse(args), System.out::println);
    }

    static double bestAllModality(Path report, String task) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        double best = -1;
        for (JsonElement e : o.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("task").getAsString().equals(task) && r.getAsJsonArray("modalities").size() == 2
                    && r.get("split").getAsString().equals("test")) {
                best = Math.max(best, r.get("accuracy").getAsDouble());
            }
        }
        assertTrue(best >= 0, "no all-modality " + task + " result in " + report);
        return best;
    }

    /** A pipeline as runtime/nmodal run takes it, plus the spark section (MLlib classifiers). */
    static Path writePipeline(Path file, Map<String, String> encoders) throws IOException {
        Files.createDirectories(file.getParent());
        String enc = encoders == null ? "{\"text\": \"minilm\"}" : new com.google.gson.Gson().toJson(
                new java.util.TreeMap<>(encoders).descendingMap());
        Files.writeString(file, """
                {
                  "id": "spark-test",
                  "data": {"format": "posts", "path": "posts"},
                  "encoders": %s,
                  "projection": {"dim": 64, "dropout": 0.1},
                  "loss": {"name": "nmodal-infonce", "temperature": 0.07, "learnTemperature": true},
                  "fusion": "concat",
                  "classifiers": ["logistic", "linear-svm", "random-forest"],
                  "tasks": ["stance"],
                  "train": {"epochs": 8, "batch": 64, "lr": 0.001, "weightDecay": 0.001, "patience": 3, "seed": 7},
                  "spark": {"batch": 16, "classifiers": ["logistic", "linear-svm", "naive-bayes", "random-forest"]}
                }
                """.formatted(enc));
        return file;
    }
}
