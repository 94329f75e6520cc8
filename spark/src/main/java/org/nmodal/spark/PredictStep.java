package org.nmodal.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Standardizer;

/**
 * {@code predict}: a data set scored with a stored model version, the {@code model/} folder an earlier
 * {@code classify} wrote (standardisers and one MLlib model per task and classifier): the posts are encoded like
 * {@code encode} does, fused with the stored standardisers, and each task's label and its probability written to
 * {@code predictions} (Parquet: post_id, task, classifier, label, probability).
 */
final class PredictStep {
    private PredictStep() {}

    static long run(SparkSession spark, PipelineFile pipeline, Path model, String classifier, Path out,
            Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(model.resolve("standardizers.bin"))) {
            throw new InvalidInputException(model + ": not a stored model version (no standardizers.bin; give the "
                    + "model/ folder of an earlier run that classified)");
        }
        Map<String, Standardizer> standardizers = FusedFeatures.load(model);
        if (!standardizers.keySet().equals(new java.util.LinkedHashSet<>(pipeline.encoders().keySet()))) {
            throw new InvalidInputException(model + ": stored for modalities " + standardizers.keySet()
                    + ", the pipeline encodes " + pipeline.encoders().keySet());
        }
        Dataset<Row> posts = spark.read().parquet(out.resolve("posts").toString());
        Dataset<Row> features = spark.read().parquet(out.resolve("features").toString());
        Dataset<Row> fused = FusedFeatures.fuse(spark, posts, features, standardizers).cache();
        Dataset<Row> all = null;
        for (String task : pipeline.tasks()) {
            Path m = model.resolve(task).resolve(classifier);
            if (!Files.isDirectory(m)) {
                throw new InvalidInputException(m + ": no stored " + classifier + " model for task " + task);
            }
            PipelineModel pm = PipelineModel.load(m.toString());
            // the indexer of the stored pipeline is for training labels only: score with the classifier and decoder
            PipelineModel scoring = new PipelineModel(pm.uid(), java.util.Arrays.copyOfRange(pm.stages(), 1,
                    pm.stages().length));
            Dataset<Row> scored = scoring.transform(fused);
            boolean probabilities = List.of(scored.columns()).contains("probability");
            Dataset<Row> rows = scored.select(col("post_id"), lit(task).as("task"), lit(classifier).as("classifier"),
                    col("predicted").as("label"), probabilities
                            ? org.apache.spark.sql.functions.array_max(functions.vector_to_array(col("probability"),
                                    "float64")).as("probability")
                            : lit(null).cast("double").as("probability"));
            all = all == null ? rows : all.unionByName(rows);
        }
        if (all == null) {
            throw new InvalidInputException("the pipeline names no task to predict");
        }
        all.write().mode(SaveMode.Overwrite).parquet(out.resolve("predictions").toString());
        long n = spark.read().parquet(out.resolve("predictions").toString()).count();
        fused.unpersist();
        log.accept("predict: " + n + " predictions (" + pipeline.tasks().size() + " task(s), " + classifier + ") in "
                + out.resolve("predictions"));
        return n;
    }
}
