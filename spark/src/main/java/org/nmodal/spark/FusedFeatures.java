package org.nmodal.spark;

import static org.apache.spark.sql.functions.col;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.nmodal.api.data.Standardizer;
import scala.Tuple2;

/**
 * The {@code raw} fused features of the single-machine report, computed distributed: each modality standardised
 * with the mean and population deviation of its training posts ({@link Standardizer}'s rule), then the modalities
 * side by side in pipeline order, zeros where a post lacks one (the {@code concat} fusion of frozen features).
 */
final class FusedFeatures {
    private FusedFeatures() {}

    /** Per modality, a standardiser learned from the training posts' vectors (distributed sums). */
    static Map<String, Standardizer> fit(Dataset<Row> features, Dataset<Row> trainPosts, List<String> modalities) {
        Map<String, Standardizer> out = new LinkedHashMap<>();
        Dataset<Row> train = features.join(trainPosts.select(col("line").as("l")), col("line").equalTo(col("l")),
                "left_semi");
        for (String m : modalities) {
            JavaRDD<float[]> rows = train.filter(col("modality").equalTo(m)).select("vector").javaRDD()
                    .map(r -> floats(r.getList(0)));
            double[][] acc = rows.aggregate(null, FusedFeatures::add, FusedFeatures::merge);
            if (acc == null) {
                continue;
            }
            int d = acc[1].length;
            double n = acc[0][0];
            float[] mean = new float[d];
            float[] scale = new float[d];
            for (int j = 0; j < d; j++) {
                double mu = acc[1][j] / n;
                double var = Math.max(0, acc[2][j] / n - mu * mu);
                double sd = n > 1 ? Math.sqrt(var) : 0;
                mean[j] = (float) mu;
                scale[j] = sd > 1e-8 ? (float) (1 / sd) : 0f;
            }
            out.put(m, new Standardizer(mean, scale));
        }
        return out;
    }

    private static double[][] add(double[][] acc, float[] v) {
        if (acc == null) {
            acc = new double[][] {new double[1], new double[v.length], new double[v.length]};
        }
        acc[0][0]++;
        for (int j = 0; j < v.length; j++) {
            acc[1][j] += v[j];
            acc[2][j] += (double) v[j] * v[j];
        }
        return acc;
    }

    private static double[][] merge(double[][] a, double[][] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < a[k].length; j++) {
                a[k][j] += b[k][j];
            }
        }
        return a;
    }

    /** Rows (line, post_id, split, labels, features): one per post, the fused vector as an MLlib vector. */
    static Dataset<Row> fuse(SparkSession spark, Dataset<Row> posts, Dataset<Row> features,
            Map<String, Standardizer> standardizers) {
        // mean and scale travel as arrays (Standardizer is not Serializable)
        LinkedHashMap<String, float[][]> shipped = new LinkedHashMap<>();
        standardizers.forEach((m, st) -> shipped.put(m, new float[][] {st.mean(), st.scale()}));
        Broadcast<LinkedHashMap<String, float[][]>> b = new org.apache.spark.api.java.JavaSparkContext(
                spark.sparkContext()).broadcast(shipped);
        JavaPairRDD<Long, Iterable<Tuple2<String, float[]>>> byPost = features.select("line", "modality", "vector")
                .javaRDD().mapToPair(r -> new Tuple2<>(r.getLong(0), new Tuple2<>(r.getString(1), floats(r.getList(2)))))
                .groupByKey();
        JavaPairRDD<Long, Row> postRows = posts.select("line", "post_id", "split", "labels").javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getLong(0), r));
        JavaRDD<Row> fused = postRows.leftOuterJoin(byPost).map(t -> {
            Map<String, float[]> have = new HashMap<>();
            if (t._2()._2().isPresent()) {
                for (Tuple2<String, float[]> mv : t._2()._2().get()) {
                    have.put(mv._1(), mv._2());
                }
            }
            List<Double> v = new ArrayList<>();
            for (Map.Entry<String, float[][]> s : b.value().entrySet()) {
                float[] x = new Standardizer(s.getValue()[0], s.getValue()[1]).apply(have.get(s.getKey()));
                for (int j = 0; j < s.getValue()[0].length; j++) {
                    v.add(x == null ? 0.0 : x[j]);
                }
            }
            Row p = t._2()._1();
            return RowFactory.create(p.get(0), p.get(1), p.get(2), p.get(3),
                    Vectors.dense(v.stream().mapToDouble(Double::doubleValue).toArray()));
        });
        StructType schema = posts.select("line", "post_id", "split", "labels").schema()
                .add("features", SQLDataTypes.VectorType(), false);
        return spark.createDataFrame(fused, schema);
    }

    static void save(Map<String, Standardizer> s, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("standardizers.bin")))) {
            out.writeInt(s.size());
            for (Map.Entry<String, Standardizer> e : s.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
        }
    }

    static Map<String, Standardizer> load(Path dir) throws IOException {
        Map<String, Standardizer> s = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("standardizers.bin")))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String m = in.readUTF();
                s.put(m, Standardizer.read(in));
            }
        }
        return s;
    }

    static float[] floats(List<?> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) v.get(i)).floatValue();
        }
        return out;
    }
}
