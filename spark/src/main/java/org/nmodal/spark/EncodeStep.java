package org.nmodal.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nmodal.api.InvalidInputException;
import scala.Tuple2;

/**
 * {@code encode}: posts read as a DataFrame ({@code posts.jsonl} or Parquet with the same fields), encoded on the
 * executors, written as three Parquet tables under the run's folder: {@code posts} (post_id, line, split, labels),
 * {@code features} (post_id, modality, encoder, version, entry, vector; entry is the feature-cache key of the
 * input, so the table refills the single-machine cache) and {@code errors} (line, post_id, modality, encoder,
 * error). A post id met twice keeps its first line, as in the single-machine reader.
 */
final class EncodeStep {
    /** What the step wrote and counted. */
    record Result(long posts, long features, long errors, double seconds, long runtimeStarts, long runtimeStartMillis) {}

    private EncodeStep() {}

    /** Where the posts are: a folder with posts.jsonl, a .jsonl file, or Parquet; and the folder media are under. */
    record Input(String path, boolean parquet, Path mediaRoot, String source) {
        static Input of(Path data, String mediaRoot) {
            if (data == null) {
                throw new InvalidInputException("no data: give --data or data.path in the pipeline file");
            }
            Path d = data.toAbsolutePath().normalize();
            Path media = mediaRoot != null ? Path.of(mediaRoot).toAbsolutePath().normalize() : null;
            if (Files.isDirectory(d) && Files.isRegularFile(d.resolve("posts.jsonl"))) {
                return new Input(d.resolve("posts.jsonl").toString(), false, media != null ? media : d, "posts.jsonl");
            }
            if (Files.isRegularFile(d) && d.getFileName().toString().endsWith(".jsonl")) {
                return new Input(d.toString(), false, media != null ? media : d.getParent(),
                        d.getFileName().toString());
            }
            if (d.getFileName().toString().endsWith(".parquet") || (Files.isDirectory(d) && hasParquet(d))) {
                return new Input(d.toString(), true, media != null ? media : d.getParent(), d.getFileName().toString());
            }
            throw new InvalidInputException(d + ": no posts here (expected a folder with posts.jsonl, a .jsonl file or "
                    + "Parquet)");
        }

        private static boolean hasParquet(Path d) {
            try (var s = Files.list(d)) {
                return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** The input's lines with their index (0-based), spread over {@code spark.partitions} partitions. */
    static JavaRDD<Tuple2<String, Long>> numbered(SparkSession spark, PipelineFile pipeline, Input input) {
        Dataset<String> lines = input.parquet() ? spark.read().parquet(input.path()).toJSON()
                : spark.read().textFile(input.path());
        JavaRDD<Tuple2<String, Long>> numbered = lines.javaRDD().zipWithIndex().rdd().toJavaRDD();
        // a line is a few hundred bytes and its encoding tens of milliseconds: the file's own splits (128 MB) would
        // leave most cores idle, so by default every core gets two partitions
        int partitions = pipeline.spark.partitions() > 0 ? pipeline.spark.partitions()
                : Math.max(numbered.getNumPartitions(), 2 * spark.sparkContext().defaultParallelism());
        return partitions != numbered.getNumPartitions() ? numbered.repartition(partitions) : numbered;
    }

    static Result run(SparkSession spark, PipelineFile pipeline, Input input, RuntimeSettings runtime, Path out,
            java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        JavaRDD<Tuple2<String, Long>> numbered = numbered(spark, pipeline, input);
        Map<String, String> encoders = pipeline.encoders();
        var starts = spark.sparkContext().longAccumulator("nmodal runtime starts");
        var startMillis = spark.sparkContext().longAccumulator("nmodal runtime start ms");
        PartitionEncoder encoder = new PartitionEncoder(runtime, input.mediaRoot(), input.source(),
                pipeline.allowPathsOutside(), encoders, pipeline.spark.batch(), pipeline.encodeTimeoutMs(), starts,
                startMillis);
        Dataset<Row> rows = spark.createDataFrame(numbered.mapPartitions(encoder), PartitionEncoder.SCHEMA)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // a post id met twice keeps its first line (the single-machine reader's rule); the others are errors
            Dataset<Row> posts = rows.filter(col("kind").equalTo("post"));
            // lines are unique, so a post is kept when its line is the first line of its id
            Dataset<Row> first = posts.groupBy("post_id").agg(min("line").as("first")).select("first");
            Dataset<Row> kept = posts.join(first, col("line").equalTo(col("first")), "left_semi");
            Dataset<Row> dupes = posts.join(kept.select(col("line").as("kept_line")),
                    posts.col("line").equalTo(col("kept_line")), "left_anti");
            Dataset<Row> keptLines = kept.select(col("line").as("kl"));
            Dataset<Row> features = rows.filter(col("kind").equalTo("feature"))
                    .join(keptLines, col("line").equalTo(col("kl")), "left_semi")
                    .select("post_id", "line", "modality", "encoder", "version", "entry", "vector");
            Dataset<Row> errors = rows.filter(col("kind").equalTo("error"))
                    .select("line", "post_id", "modality", "encoder", "error")
                    .unionByName(dupes.selectExpr("line", "post_id", "cast(null as string) as modality",
                            "cast(null as string) as encoder", "concat('" + input.source().replace("'", "")
                                    + ":', line, ': duplicate post id ''', post_id, ''', line skipped') as error"));
            kept.select("post_id", "line", "split", "labels").orderBy("line").write().mode(SaveMode.Overwrite)
                    .parquet(out.resolve("posts").toString());
            features.write().mode(SaveMode.Overwrite).parquet(out.resolve("features").toString());
            errors.orderBy("line").write().mode(SaveMode.Overwrite).parquet(out.resolve("errors").toString());
            Dataset<Row> p = spark.read().parquet(out.resolve("posts").toString());
            Dataset<Row> f = spark.read().parquet(out.resolve("features").toString());
            Dataset<Row> e = spark.read().parquet(out.resolve("errors").toString());
            Result r = new Result(p.count(), f.count(), e.count(), (System.nanoTime() - t0) / 1e9, starts.value(),
                    startMillis.value());
            log.accept(String.format(java.util.Locale.ROOT, "encode: %d posts, %d vectors, %d problem(s) in %.1f s "
                    + "(%s/features, %s/errors); %d embedded runtime start(s), %.1f s each on average", r.posts(),
                    r.features(), r.errors(), r.seconds(), out, out, r.runtimeStarts(),
                    r.runtimeStarts() == 0 ? 0 : r.runtimeStartMillis() / 1000.0 / r.runtimeStarts()));
            return r;
        } finally {
            rows.unpersist();
        }
    }
}
