package org.nmodal.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.serving.StoredModel;
import org.nmodal.embed.EmbeddedRuntime;
import scala.Tuple2;

/**
 * {@code predict} with a stored model version of nmodal's serving ({@code <work>/trained/<id>/v<N>}): each executor
 * opens the version once per JVM through its embedded runtime ({@code ServingService.open}) and scores its
 * partitions in batches with the version's own encoders, heads, fusion and classifier, the numbers
 * {@code POST /api/pipelines/{id}/predict} gives for the same post. Out: {@code predictions} (Parquet: post_id, line,
 * task, version, label, scores (class to probability), modalities, skipped, error), one row per post and task; a
 * post that cannot be scored has its line in {@code error} and no label, a line that does not parse one row without
 * post id and task. Nothing a post does fails the job.
 */
final class PredictModel {
    private PredictModel() {}

    /**
     * The version folder {@code --version} or {@code --model} names, or null when {@code --model} is the
     * {@code model/} folder of a run that classified (the MLlib path, {@link PredictStep}); anything else is one line.
     */
    static Path version(EmbeddedRuntime nmodal, String pipeline, NModalSpark.Args args) throws IOException {
        Path dir;
        if (args.version() > 0) {
            dir = nmodal.pipelines().work().version(pipeline, args.version());
            if (!Files.isRegularFile(dir.resolve("model.json"))) {
                Path trained = nmodal.pipelines().work().trained(pipeline);
                throw new InvalidInputException("no model version v" + args.version() + " of pipeline '" + pipeline
                        + "' in " + trained + " (stored: " + stored(trained) + ")");
            }
        } else {
            dir = args.model().toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve("model.json"))) {
                if (Files.isRegularFile(dir.resolve("standardizers.bin"))) {
                    return null;
                }
                throw new InvalidInputException(dir + ": not a stored model version (expected a folder "
                        + "trained/<pipeline id>/v<N> with model.json, or the model/ folder of a run that classified)");
            }
        }
        if (args.classifier() != null) {
            throw new InvalidInputException("--classifier picks one of the MLlib models of a classify run; the model "
                    + "version " + dir + " scores with its own classifier");
        }
        return dir;
    }

    private static String stored(Path trained) throws IOException {
        if (!Files.isDirectory(trained)) {
            return "none";
        }
        try (Stream<Path> s = Files.list(trained)) {
            List<String> v = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("v\\d+")
                    && Files.isRegularFile(trained.resolve(n).resolve("model.json")))
                    .sorted(java.util.Comparator.comparingInt(n -> Integer.parseInt(n.substring(1)))).toList();
            return v.isEmpty() ? "none" : String.join(", ", v);
        }
    }

    /**
     * Scores the posts on the executors and writes {@code predictions}; the rows written.
     *
     * @param model the version as the driver opened it (checked before any executor starts)
     * @param checked the pipeline file the driver checked, which the executors read too
     */
    static long run(SparkSession spark, PipelineFile pipeline, EncodeStep.Input input, RuntimeSettings runtime,
            StoredModel model, Path checked, Path version, Path out, Consumer<String> log) {
        long t0 = System.nanoTime();
        log.accept("predict: " + model.pipeline() + "/" + model.info().summary() + " from " + version);
        JavaRDD<Tuple2<String, Long>> numbered = EncodeStep.numbered(spark, pipeline, input);
        PartitionScorer scorer = new PartitionScorer(runtime, input.mediaRoot(), input.source(),
                pipeline.allowPathsOutside(), checked.toString(), version.toString(), pipeline.spark.batch());
        Path target = out.resolve("predictions");
        spark.createDataFrame(numbered.mapPartitions(scorer), PartitionScorer.SCHEMA).orderBy("line", "task")
                .write().mode(SaveMode.Overwrite).parquet(target.toString());
        Dataset<Row> written = spark.read().parquet(target.toString());
        long rows = written.count();
        long failed = written.filter(col("error").isNotNull()).select("line").distinct().count();
        long posts = written.filter(col("error").isNull()).select("line").distinct().count();
        log.accept(String.format(java.util.Locale.ROOT, "predict: %d post(s) scored, %d line(s) with an error, "
                + "%d row(s) in %s, %.1f s", posts, failed, rows, target, (System.nanoTime() - t0) / 1e9));
        return rows;
    }
}
