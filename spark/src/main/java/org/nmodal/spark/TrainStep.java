package org.nmodal.spark;

import static org.apache.spark.sql.functions.col;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nmodal.api.pipeline.EpochStat;
import org.nmodal.api.pipeline.RunListener;
import org.nmodal.api.pipeline.RunResult;
import org.nmodal.data.FeatureCache;
import org.nmodal.embed.EmbeddedRuntime;

/**
 * {@code train}: the projection heads (and the single-machine ablation and report) trained on the driver by the
 * embedded runtime's own pipeline runner, the code of {@code runtime/nmodal run} itself (nmodal.training's
 * HeadTrainer, nmodal.evaluation's Evaluator and Report), so nothing about training is written twice. The cluster's
 * feature table is poured into the driver's feature cache first (same cache keys: encoder name, version and
 * dimension; each input's entry), so the runner decodes nothing: it reads the posts and finds every vector cached.
 *
 * <p>When the data set holds more than {@code spark.trainPosts} posts (default 200,000), or comes as Parquet, the
 * driver writes the posts to train on as a {@code posts.jsonl} of its own, media paths made absolute: a uniform sample
 * (Bernoulli, seed of the pipeline's {@code train.seed}) of about {@code trainPosts} posts, each keeping its
 * split. The heads are trained full batch on the driver; at 200,000 posts × (384 + 59 + ...) floats that is well
 * inside a driver of a few GB, and the heads do not get better from more posts of the same distribution at that size.
 */
final class TrainStep {
    private TrainStep() {}

    static RunResult run(SparkSession spark, PipelineFile pipeline, EncodeStep.Input input, EmbeddedRuntime nmodal,
            Path out, Consumer<String> log) throws IOException {
        Path encoded = out;
        Dataset<Row> posts = spark.read().parquet(encoded.resolve("posts").toString());
        Dataset<Row> features = spark.read().parquet(encoded.resolve("features").toString());
        long n = posts.count();
        long limit = pipeline.spark.trainPosts();
        boolean sample = n > limit;
        Dataset<Row> chosen = posts;
        if (sample) {
            long seed = seed(pipeline);
            chosen = posts.sample(false, Math.min(1.0, (double) limit / n), seed);
            log.accept(String.format(Locale.ROOT, "train: %d posts, more than spark.trainPosts %d: training on a "
                    + "uniform sample (seed %d)", n, limit, seed));
        }
        Dataset<Row> chosenFeatures = features.join(chosen.select(col("line").as("l")), col("line").equalTo(col("l")),
                "left_semi");
        fillCache(chosenFeatures, nmodal, log);
        // the runner reads <folder>/posts.jsonl: anything else (Parquet, a sample, another file name) is rewritten
        boolean own = input.parquet() || sample || !Path.of(input.path()).getFileName().toString().equals("posts.jsonl");
        Path data = own ? writePosts(spark, input, chosen, out.resolve("train-posts")) : Path.of(input.path()).getParent();
        Path file = pipeline.writeFor(out.resolve("pipeline.json"), data);
        if (own) {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            o.getAsJsonObject("data").addProperty("allowPathsOutside", true);
            Files.writeString(file, o.toString());
        }
        Path report = out.resolve("report");
        RunResult result = nmodal.pipelines().run(file, null, report, new RunListener() {
            @Override
            public void line(String line) {
                log.accept("train: " + line);
            }

            @Override
            public void epoch(EpochStat epoch, int maxEpochs, double etaSeconds) {}
        });
        log.accept("train: report " + result.folder().resolve("report.json"));
        return result;
    }

    private static long seed(PipelineFile pipeline) {
        JsonObject t = pipeline.json.has("train") ? pipeline.json.getAsJsonObject("train") : new JsonObject();
        return t.has("seed") ? t.get("seed").getAsLong() : 7L;
    }

    /** The feature table's vectors into the driver's feature cache, one cache file per encoder and version. */
    static void fillCache(Dataset<Row> features, EmbeddedRuntime nmodal, Consumer<String> log) throws IOException {
        FeatureCache cache = new FeatureCache(nmodal.pipelines().work().cache());
        Map<String, Map<String, float[]>> byKey = new HashMap<>();
        Map<String, String> encoderOf = new HashMap<>();
        long count = 0;
        for (var it = features.select("encoder", "version", "entry", "vector").toLocalIterator(); it.hasNext();) {
            Row r = it.next();
            String encoder = r.getString(0);
            List<Float> v = r.getList(3);
            float[] vector = new float[v.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = v.get(i);
            }
            String key = FeatureCache.key(r.getString(1), encoder + "/" + vector.length);
            encoderOf.put(key, encoder);
            byKey.computeIfAbsent(key, k -> cache.load(encoder, k)).put(r.getString(2), vector);
            count++;
        }
        for (Map.Entry<String, Map<String, float[]>> e : byKey.entrySet()) {
            cache.store(encoderOf.get(e.getKey()), e.getKey(), e.getValue());
        }
        log.accept("train: " + count + " vectors from the feature table into the driver's feature cache");
    }

    /** The chosen posts' lines as a posts.jsonl of their own, media paths made absolute (against the media root). */
    private static Path writePosts(SparkSession spark, EncodeStep.Input input, Dataset<Row> chosen, Path dir)
            throws IOException {
        Dataset<String> lines = input.parquet() ? spark.read().parquet(input.path()).toJSON()
                : spark.read().textFile(input.path());
        var numbered = lines.javaRDD().zipWithIndex()
                .map(t -> org.apache.spark.sql.RowFactory.create(t._1(), t._2() + 1));
        Dataset<Row> all = spark.createDataFrame(numbered, new org.apache.spark.sql.types.StructType()
                .add("value", org.apache.spark.sql.types.DataTypes.StringType)
                .add("n", org.apache.spark.sql.types.DataTypes.LongType));
        Dataset<Row> kept = all.join(chosen.select(col("line")), col("n").equalTo(col("line")), "left_semi")
                .orderBy("n");
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "posts", ".part");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (var it = kept.select("value").toLocalIterator(); it.hasNext();) {
                JsonObject o = JsonParser.parseString(it.next().getString(0)).getAsJsonObject();
                for (String m : List.of("image", "video", "audio")) {
                    if (o.has(m) && o.get(m).isJsonPrimitive()) {
                        o.addProperty(m, input.mediaRoot().resolve(o.get(m).getAsString()).normalize().toString());
                    }
                }
                w.write(o.toString());
                w.write('\n');
            }
        }
        Files.move(tmp, dir.resolve("posts.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }
}
