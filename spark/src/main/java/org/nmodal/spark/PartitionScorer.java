package org.nmodal.spark;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nmodal.api.data.Post;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.PostAnswer;
import org.nmodal.api.serving.StoredModel;
import org.nmodal.data.PostsReader;
import org.nmodal.embed.EmbeddedRuntime;
import scala.Tuple2;

/**
 * Executor side of {@code predict} with a stored model version: a partition's lines parsed by the single-machine
 * reader and scored in batches by the version, opened once per JVM through the embedded runtime.
 */
final class PartitionScorer implements FlatMapFunction<Iterator<Tuple2<String, Long>>, Row>, Serializable {
    static final StructType SCHEMA = new StructType()
            .add("post_id", DataTypes.StringType, true)
            .add("line", DataTypes.LongType, false)
            .add("task", DataTypes.StringType, true)
            .add("version", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("scores", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), true)
            .add("modalities", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("skipped", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("error", DataTypes.StringType, true);

    /** The versions opened in this JVM, by pipeline file and folder. */
    private static final Map<String, StoredModel> OPEN = new ConcurrentHashMap<>();
    private final RuntimeSettings runtime;
    private final String dataDir;
    private final String source;
    private final boolean allowOutside;
    private final String pipelineFile;
    private final String version;
    private final int batch;

    PartitionScorer(RuntimeSettings runtime, Path dataDir, String source, boolean allowOutside, String pipelineFile,
            String version, int batch) {
        this.runtime = runtime;
        this.dataDir = dataDir.toString();
        this.source = source;
        this.allowOutside = allowOutside;
        this.pipelineFile = pipelineFile;
        this.version = version;
        this.batch = batch;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<String, Long>> lines) throws Exception {
        if (!lines.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        EmbeddedRuntime nmodal = runtime.runtime();
        StoredModel model = OPEN.computeIfAbsent(pipelineFile + "|" + version, k -> {
            try {
                // the executor checks the pipeline file as the driver did (its own runtime, its own services)
                return nmodal.serving().open(Path.of(version), nmodal.pipelines().validate(Path.of(pipelineFile),
                        null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Path dir = Path.of(dataDir);
        List<Path> roots = allowOutside ? List.of(dir.getRoot()) : List.of();
        return new BatchedRows(lines, batch, next -> score(next, model, dir, roots), () -> { });
    }

    private List<Row> score(List<Tuple2<String, Long>> lines, StoredModel model, Path dir, List<Path> roots) {
        String v = "v" + model.info().number();
        List<Row> rows = new ArrayList<>();
        List<Post> posts = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        List<List<String>> problems = new ArrayList<>();
        for (Tuple2<String, Long> t : lines) {
            long number = t._2() + 1;
            if (t._1().isBlank()) {
                continue;
            }
            List<String> found = new ArrayList<>();
            try {
                posts.add(PostsReader.post(JsonParser.parseString(t._1()).getAsJsonObject(), dir, roots, found));
                numbers.add(number);
                problems.add(found);
            } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
                rows.add(RowFactory.create(null, number, null, v, null, null, null, null,
                        source + ":" + number + ": " + e.getMessage() + ", line skipped"));
            }
        }
        if (posts.isEmpty()) {
            return rows;
        }
        List<PostAnswer> answers = model.predict(posts);
        for (int i = 0; i < posts.size(); i++) {
            PostAnswer a = answers.get(i);
            long number = numbers.get(i);
            if (!a.ok()) {
                String error = "post " + a.post() + ": " + a.error();
                for (String task : model.classes().keySet()) {
                    rows.add(RowFactory.create(a.post(), number, task, v, null, null, null,
                            problems.get(i).toArray(String[]::new), error));
                }
                continue;
            }
            Answer answer = a.answer();
            List<String> skipped = new ArrayList<>(problems.get(i));
            skipped.addAll(answer.skipped());
            for (Map.Entry<String, String> label : answer.labels().entrySet()) {
                rows.add(RowFactory.create(a.post(), number, label.getKey(), answer.version(), label.getValue(),
                        scalaMap(answer.probabilities().get(label.getKey())),
                        answer.modalities().toArray(String[]::new), skipped.toArray(String[]::new), null));
            }
        }
        return rows;
    }

    private static <V> scala.collection.immutable.Map<String, V> scalaMap(Map<String, V> m) {
        return scala.collection.immutable.Map.from(scala.jdk.CollectionConverters.MapHasAsScala(m).asScala());
    }
}
