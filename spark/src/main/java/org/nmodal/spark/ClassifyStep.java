package org.nmodal.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nmodal.api.data.Standardizer;

/**
 * {@code classify}: Spark MLlib's logistic regression, linear SVM (one-vs-rest for more than two classes), Gaussian
 * naive Bayes and random forest, trained on the fused {@code raw} features of the train and dev posts (as the
 * single-machine classifiers are) and scored on the test posts, for every task, with the single-machine report's
 * metrics (accuracy, macro-F1, confusion matrix). The fitted models and the standardisers are the stored model
 * version that {@code predict} scores with.
 */
final class ClassifyStep {
    private ClassifyStep() {}

    /** One result row, as in the single-machine report's {@code results}. */
    record Result(String task, String classifier, List<String> modalities, double accuracy, double macroF1,
            List<String> classes, long[][] confusion) {}

    static List<Result> run(SparkSession spark, PipelineFile pipeline, Path out, Consumer<String> log)
            throws IOException {
        Dataset<Row> posts = spark.read().parquet(out.resolve("posts").toString());
        Dataset<Row> features = spark.read().parquet(out.resolve("features").toString());
        List<String> modalities = new ArrayList<>(pipeline.encoders().keySet());
        Map<String, Standardizer> standardizers = FusedFeatures.fit(features, posts.filter(col("split").equalTo("train")),
                modalities);
        Path models = out.resolve("model");
        FusedFeatures.save(standardizers, models);
        Dataset<Row> fused = FusedFeatures.fuse(spark, posts, features, standardizers).cache();
        List<Result> results = new ArrayList<>();
        try {
            for (String task : pipeline.tasks()) {
                Dataset<Row> labelled = fused.withColumn("label_text", element_at(col("labels"), task))
                        .filter(col("label_text").isNotNull());
                Dataset<Row> fit = labelled.filter(col("split").isin("train", "dev"));
                Dataset<Row> test = labelled.filter(col("split").equalTo("test"));
                StringIndexerModel indexer = new StringIndexer().setInputCol("label_text").setOutputCol("label")
                        .setStringOrderType("alphabetAsc").fit(fit);
                List<String> classes = List.of(indexer.labelsArray()[0]);
                for (String name : pipeline.spark.classifiers()) {
                    long t0 = System.nanoTime();
                    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {indexer,
                            classifier(name, classes.size(), seed(pipeline)),
                            new IndexToString().setInputCol("prediction").setOutputCol("predicted")
                                    .setLabels(indexer.labelsArray()[0])}).fit(fit);
                    model.write().overwrite().save(models.resolve(task).resolve(name).toString());
                    Result r = score(task, name, modalities, classes, model.transform(test.filter(
                            col("label_text").isin((Object[]) classes.toArray(new String[0])))));
                    results.add(r);
                    log.accept(String.format(Locale.ROOT, "classify: %s %s (MLlib) on %s: accuracy %.4f, macro-F1 "
                            + "%.4f (%.1f s)", task, name, String.join("+", modalities), r.accuracy(), r.macroF1(),
                            (System.nanoTime() - t0) / 1e9));
                }
            }
        } finally {
            fused.unpersist();
        }
        write(results, out.resolve("classify.json"));
        return results;
    }

    static PipelineStage classifier(String name, int classes, long seed) {
        return switch (name) {
            case "logistic" -> new LogisticRegression().setMaxIter(100).setRegParam(1e-3).setFamily("multinomial");
            case "linear-svm" -> classes == 2 ? new LinearSVC().setMaxIter(100).setRegParam(1e-3)
                    : new OneVsRest().setClassifier(new LinearSVC().setMaxIter(100).setRegParam(1e-3));
            case "naive-bayes" -> new NaiveBayes().setModelType("gaussian");
            case "random-forest" -> new RandomForestClassifier().setNumTrees(100).setSeed(seed);
            default -> throw new IllegalArgumentException("unknown MLlib classifier '" + name + "'");
        };
    }

    private static long seed(PipelineFile pipeline) {
        JsonObject t = pipeline.json.has("train") ? pipeline.json.getAsJsonObject("train") : new JsonObject();
        return t.has("seed") ? t.get("seed").getAsLong() : 7L;
    }

    /** Accuracy, macro-F1 and the confusion matrix (rows: true class, columns: predicted), counted distributed. */
    static Result score(String task, String name, List<String> modalities, List<String> classes, Dataset<Row> scored) {
        int k = classes.size();
        long[][] confusion = new long[k][k];
        for (Row r : scored.groupBy("label", "prediction").count().collectAsList()) {
            confusion[(int) r.getDouble(0)][(int) r.getDouble(1)] += r.getLong(2);
        }
        long right = 0;
        long all = 0;
        double f1 = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long actual = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++) {
                actual += confusion[c][j];
                predicted += confusion[j][c];
                all += confusion[c][j];
            }
            right += tp;
            if (actual > 0 || predicted > 0) {
                present++;
                f1 += actual + predicted == 0 ? 0 : 2.0 * tp / (actual + predicted);
            }
        }
        return new Result(task, name, modalities, all == 0 ? 0 : (double) right / all, present == 0 ? 0 : f1 / present,
                classes, confusion);
    }

    static void write(List<Result> results, Path file) throws IOException {
        JsonArray a = new JsonArray();
        for (Result r : results) {
            JsonObject o = new JsonObject();
            o.addProperty("task", r.task());
            o.addProperty("classifier", r.classifier() + " (MLlib)");
            o.addProperty("features", "raw");
            JsonArray m = new JsonArray();
            r.modalities().forEach(m::add);
            o.add("modalities", m);
            o.addProperty("split", "test");
            o.addProperty("accuracy", r.accuracy());
            o.addProperty("macroF1", r.macroF1());
            JsonArray classes = new JsonArray();
            r.classes().forEach(classes::add);
            o.add("classes", classes);
            JsonArray conf = new JsonArray();
            for (long[] row : r.confusion()) {
                JsonArray x = new JsonArray();
                for (long v : row) {
                    x.add(v);
                }
                conf.add(x);
            }
            o.add("confusion", conf);
            a.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("results", a);
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".classify", ".part");
        Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(root), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The stored model of a task and classifier. */
    static PipelineModel load(Path modelDir, String task, String classifier) {
        return PipelineModel.load(modelDir.resolve(task).resolve(classifier).toString());
    }
}
