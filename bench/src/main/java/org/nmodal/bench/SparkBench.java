package org.nmodal.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.nmodal.demo.DemoGenerator;
import org.nmodal.embed.EmbeddedRuntime;
import org.nmodal.spark.NModalSpark;

/**
 * Encode throughput of nmodal-spark on {@code local-cluster[2,1,2048]} (two executor JVMs of one core each, every one
 * starting its own embedded runtime) against {@code runtime/nmodal run} on the same posts, in the same run, both
 * from an empty feature cache, with {@code pipelines/demo-trimodal.json} (MiniLM text, classic image and video
 * features): posts/s of each, the executors' start-up (runtime started and encoders bound) and the best
 * all-modality stance accuracy of both reports; then batch prediction with a stored serving version (trained on the
 * driver) on the same executors against {@code ServingService.predict} one post at a time.
 * {@code mvn -B verify -Pbench -Dnmodal.bench=spark}; the number of posts is {@code -Dnmodal.bench.posts} (default
 * 600).
 */
final class SparkBench {
    private static final Pattern ENCODED = Pattern.compile(": [\\w-]+, (\\d+) from cache, (\\d+) encoded in ([0-9.]+) s");

    private static final String LOG4J = "org.apache.logging.slf4j.SLF4JServiceProvider";

    private SparkBench() {}

    static void run(Path root) throws Exception {
        int n = Integer.getInteger("nmodal.bench.posts", 600);
        // the bench class path also holds slf4j-jdk14 (inside nmodal.djl); with Spark's JUL-to-SLF4J bridge that
        // would send every log record round in a circle: SLF4J goes to Spark's Log4j instead
        System.getProperties().putIfAbsent("slf4j.provider", LOG4J);
        Path dir = root.resolve("runtime/work/bench-spark");
        Path jar = root.resolve("runtime/target/nmodal.jar");
        Path posts = dir.resolve("posts-" + n);
        Path pipeline = root.resolve("pipelines/demo-trimodal.json");
        Path sparkWork = dir.resolve("spark-work");
        EmbeddedRuntime.Options options = EmbeddedRuntime.options(jar).work(sparkWork);
        System.setProperty("nmodal.runtime.jar", jar.toString());
        System.setProperty("nmodal.work", sparkWork.toString());
        if (!Files.isDirectory(posts)) {
            EmbeddedRuntime r = EmbeddedRuntime.shared(options);
            DemoGenerator.generate(posts, new DemoGenerator.Settings(n, 6, 4, 7), r.mediaWriter(), l -> {});
        }

        // single machine: runtime/nmodal run, empty cache (its own work folder), encode time from its run.log
        Path singleWork = dir.resolve("single-work");
        deleteTree(singleWork.resolve("cache"));
        Path singleOut = dir.resolve("single-run");
        deleteTree(singleOut);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "run", pipeline.toString(),
                "--data", posts.toString(), "--out", singleOut.toString());
        pb.environment().put("NMODAL_WORK", singleWork.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("single-run.txt").toFile());
        Files.createDirectories(dir);
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("runtime/nmodal run failed: " + Files.readString(dir.resolve("single-run.txt")));
        }
        double singleWall = (System.nanoTime() - t0) / 1e9;
        double singleEncode = 0;
        Matcher m = ENCODED.matcher(Files.readString(singleOut.resolve("run.log"), StandardCharsets.UTF_8));
        while (m.find()) {
            singleEncode += Double.parseDouble(m.group(3));
        }
        double singleBest = best(singleOut.resolve("report.json"));

        // nmodal-spark on local-cluster: executors start their runtimes, encode; the driver trains (empty cache)
        EmbeddedRuntime driver = EmbeddedRuntime.shared(options);
        deleteTree(driver.pipelines().work().cache());
        Path sparkHome = dir.resolve("spark-home");
        Files.createDirectories(sparkHome.resolve("jars"));
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,2048]").appName("nmodal-bench")
                .config("spark.ui.enabled", false)
                .config("spark.network.timeout", "600s")
                .config("spark.executor.heartbeatInterval", "60s")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .config("spark.executor.extraJavaOptions", "-Dai.djl.pytorch.num_threads=1 -Dslf4j.provider=" + LOG4J + " "
                        + "-Djava.util.logging.config.file=" + root.resolve("runtime/etc/logging-quiet.properties"))
                .getOrCreate();
        Path sparkOut = dir.resolve("spark-run");
        deleteTree(sparkOut);
        NModalSpark.Summary s;
        NModalSpark.Summary warm;
        long t1 = System.nanoTime();
        double sparkWall;
        double servingSeconds;
        double predictSeconds;
        long predicted;
        try {
            s = NModalSpark.run(spark, NModalSpark.Args.parse(new String[] {pipeline.toString(), "--data", posts.toString(),
                "--out", sparkOut.toString(), "--steps", "encode,train"}), l -> {});
            sparkWall = (System.nanoTime() - t1) / 1e9;
            // the same posts again on the executors that are up: the steady rate, without launches and start-up
            Path again = dir.resolve("spark-run-warm");
            deleteTree(again);
            warm = NModalSpark.run(spark, NModalSpark.Args.parse(new String[] {pipeline.toString(), "--data",
                posts.toString(), "--out", again.toString(), "--steps", "encode"}), l -> {});
            // predict: a serving version (trained on the driver from the cache the train step filled) scored by
            // serving one post at a time, then by the same executors in batches
            var served = driver.serving().serve(pipeline, posts, l -> {});
            String id = served.spec().id();
            int version = served.current().number();
            List<String> lines = Files.readAllLines(posts.resolve("posts.jsonl"));
            long t2 = System.nanoTime();
            for (String line : lines) {
                driver.serving().predict(id, line);
            }
            servingSeconds = (System.nanoTime() - t2) / 1e9;
            driver.serving().unserve(id);
            Path scored = dir.resolve("spark-predict");
            deleteTree(scored);
            long t3 = System.nanoTime();
            predicted = NModalSpark.run(spark, NModalSpark.Args.parse(new String[] {pipeline.toString(), "--data",
                posts.toString(), "--out", scored.toString(), "--steps", "predict", "--version",
                String.valueOf(version)}), l -> {}).predictions();
            predictSeconds = (System.nanoTime() - t3) / 1e9;
        } finally {
            spark.stop();
            // the framework's event thread is not a daemon: a runtime left running keeps the bench JVM from exiting
            driver.close();
        }
        double sparkBest = best(s.report().resolve("report.json"));
        double startup = s.runtimeStarts() == 0 ? 0 : s.runtimeStartMillis() / 1000.0
                / s.runtimeStarts();
        System.out.println("spark: encode of " + n + " demo posts (demo-trimodal: minilm, image-classic, video-frames), "
                + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.printf(Locale.ROOT, "  runtime/nmodal run     encode %.1f s = %.2f posts/s (whole run %.1f s), "
                + "best all-modality stance accuracy %.4f%n", singleEncode, n / singleEncode, singleWall, singleBest);
        System.out.printf(Locale.ROOT, "  local-cluster[2,1,2048] encode %.1f s = %.2f posts/s (job incl. executor "
                + "start-up), %d executor runtime start(s) of %.1f s each; without start-up %.2f posts/s; "
                + "encode+train %.1f s; best all-modality stance accuracy %.4f%n", s.encodeSeconds(),
                n / s.encodeSeconds(), s.runtimeStarts(), startup,
                n / Math.max(1e-9, s.encodeSeconds() - startup), sparkWall, sparkBest);
        System.out.printf(Locale.ROOT, "  local-cluster, second job on the same executors: encode %.1f s = %.2f posts/s "
                + "(%.2f posts/s per executor core)%n", warm.encodeSeconds(), n / warm.encodeSeconds(),
                n / warm.encodeSeconds() / 2);
        System.out.printf(Locale.ROOT, "  ratio spark/single (encode posts/s): first job %.2f, second job %.2f; "
                + "accuracy difference %.4f%n", singleEncode / s.encodeSeconds(), singleEncode / warm.encodeSeconds(),
                sparkBest - singleBest);
        System.out.printf(Locale.ROOT, "  predict with the stored serving version: ServingService.predict one post at a "
                + "time %.1f s = %.2f posts/s; nmodal-spark --steps predict --version on the same executors %.1f s = "
                + "%.2f posts/s (%d rows, job wall clock incl. Parquet)%n", servingSeconds, n / servingSeconds,
                predictSeconds, n / predictSeconds, predicted);
    }

    private static double best(Path report) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        double best = -1;
        int all = 0;
        for (JsonElement e : o.getAsJsonArray("results")) {
            all = Math.max(all, e.getAsJsonObject().getAsJsonArray("modalities").size());
        }
        for (JsonElement e : o.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("task").getAsString().equals("stance") && r.getAsJsonArray("modalities").size() == all) {
                best = Math.max(best, r.get("accuracy").getAsDouble());
            }
        }
        return best;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
