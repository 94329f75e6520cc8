package org.nmodal.spark;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.data.FeatureCache;
import org.nmodal.data.PostsReader;
import org.nmodal.embed.EmbeddedRuntime;
import org.nmodal.embed.GuardedEncoding;
import scala.Tuple2;

/**
 * Executor side of {@code encode}: a partition's lines (posts as in {@code posts.jsonl}, with their line numbers)
 * parsed by the same reader as the single-machine run and encoded in batches through this JVM's embedded runtime.
 * Out come rows of three kinds: {@code post} (id, split, labels), {@code feature} (one per post and modality) and
 * {@code error} (one line per problem: a bad line, a missing file, an input the encoder refused, an encoder that
 * misbehaved). Nothing a post or an encoder does fails the task.
 */
final class PartitionEncoder implements FlatMapFunction<Iterator<Tuple2<String, Long>>, Row>, Serializable {
    static final StructType SCHEMA = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("line", DataTypes.LongType, false)
            .add("post_id", DataTypes.StringType, true)
            .add("split", DataTypes.StringType, true)
            .add("labels", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
            .add("modality", DataTypes.StringType, true)
            .add("encoder", DataTypes.StringType, true)
            .add("version", DataTypes.StringType, true)
            .add("entry", DataTypes.StringType, true)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("error", DataTypes.StringType, true);

    /** Encoders that did not come up in this JVM, with the reason. */
    private static final Map<String, String> MISSING = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether this JVM's start-up cost was counted already. */
    private static final java.util.concurrent.atomic.AtomicBoolean COUNTED = new java.util.concurrent.atomic.AtomicBoolean();
    private final RuntimeSettings runtime;
    private final String dataDir;
    private final String source;
    private final boolean allowOutside;
    private final Map<String, String> encoders;
    private final int batch;
    private final long timeoutMs;
    private final org.apache.spark.util.LongAccumulator starts;
    private final org.apache.spark.util.LongAccumulator startMillis;

    PartitionEncoder(RuntimeSettings runtime, Path dataDir, String source, boolean allowOutside,
            Map<String, String> encoders, int batch, long timeoutMs, org.apache.spark.util.LongAccumulator starts,
            org.apache.spark.util.LongAccumulator startMillis) {
        this.starts = starts;
        this.startMillis = startMillis;
        this.runtime = runtime;
        this.dataDir = dataDir.toString();
        this.source = source;
        this.allowOutside = allowOutside;
        this.encoders = new LinkedHashMap<>(encoders);
        this.batch = batch;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<String, Long>> lines) throws Exception {
        if (!lines.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        long t0 = System.nanoTime();
        EmbeddedRuntime nmodal = runtime.runtime();
        Map<String, ModalityEncoder> services = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : encoders.entrySet()) {
            // an encoder that never comes up here (its bundle failed to start on this node) fails its inputs, not
            // the task; the first task of the JVM waits for it, the others know
            String why = MISSING.get(e.getValue());
            if (why == null) {
                try {
                    services.put(e.getKey(), nmodal.encoder(e.getValue()));
                    continue;
                } catch (IllegalStateException ex) {
                    why = "encoder " + e.getValue() + " is not available on executor "
                            + java.net.InetAddress.getLocalHost().getHostName() + " (" + ex.getMessage() + ")";
                    MISSING.put(e.getValue(), why);
                }
            }
            services.put(e.getKey(), new Unavailable(e.getKey(), why));
        }
        if (COUNTED.compareAndSet(false, true)) {
            // the JVM's start-up cost: runtime started (by this task, or earlier in a driver JVM) and encoders bound
            starts.add(1);
            startMillis.add(Math.max(nmodal.startMillis(), (System.nanoTime() - t0) / 1_000_000));
        }
        GuardedEncoding guard = new GuardedEncoding();
        Path dir = Path.of(dataDir);
        List<Path> roots = allowOutside ? List.of(dir.getRoot()) : List.of();
        return new BatchedRows(lines, batch, next -> encodeBatch(next, services, guard, dir, roots),
                guard::close);
    }

    private List<Row> encodeBatch(List<Tuple2<String, Long>> lines, Map<String, ModalityEncoder> services,
            GuardedEncoding guard, Path dir, List<Path> roots) {
        List<Row> rows = new ArrayList<>();
        List<Post> posts = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (Tuple2<String, Long> t : lines) {
            long number = t._2() + 1;
            if (t._1().isBlank()) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            String where = source + ":" + number;
            try {
                Post p = PostsReader.post(JsonParser.parseString(t._1()).getAsJsonObject(), dir, roots, problems);
                posts.add(p);
                numbers.add(number);
                rows.add(RowFactory.create("post", number, p.id(), p.split().name().toLowerCase(java.util.Locale.ROOT),
                        scalaMap(p.labels()), null, null, null, null, null, null));
                for (String problem : problems) {
                    rows.add(error(number, p.id(), problem));
                }
            } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
                rows.add(error(number, null, where + ": " + e.getMessage() + ", line skipped"));
            }
        }
        for (Map.Entry<String, ModalityEncoder> e : services.entrySet()) {
            String m = e.getKey();
            ModalityEncoder encoder = e.getValue();
            List<Integer> which = new ArrayList<>();
            List<ModalityInput> inputs = new ArrayList<>();
            for (int i = 0; i < posts.size(); i++) {
                ModalityInput in = posts.get(i).input(m).orElse(null);
                if (in != null) {
                    which.add(i);
                    inputs.add(in);
                }
            }
            if (inputs.isEmpty()) {
                continue;
            }
            List<Encoding> out = guard.encode(encoder, inputs, timeoutMs);
            String name = encoders.get(m);
            String version = safe(encoder::version);
            for (int k = 0; k < inputs.size(); k++) {
                Post p = posts.get(which.get(k));
                long number = numbers.get(which.get(k));
                Encoding enc = out.get(k);
                if (enc.ok()) {
                    rows.add(RowFactory.create("feature", number, p.id(), null, null, m, name, version,
                            FeatureCache.entry(p.id(), inputs.get(k)), boxed(enc.vector()), null));
                } else {
                    rows.add(error(number, p.id(), "post " + p.id() + ": " + m + " " + inputs.get(k).describe() + ": "
                            + enc.error() + "; the post goes on without " + m, m, name));
                }
            }
        }
        return rows;
    }

    /** Stands in for an encoder that is not there: every input fails with the reason. */
    private record Unavailable(String modality, String why) implements ModalityEncoder {
        @Override
        public String name() {
            return "unavailable";
        }

        @Override
        public int dimension() {
            return 0;
        }

        @Override
        public String device() {
            return "none";
        }

        @Override
        public String version() {
            return "none";
        }

        @Override
        public List<Encoding> encode(List<? extends ModalityInput> inputs) {
            return inputs.stream().map(i -> Encoding.failed(why)).toList();
        }
    }

    private static Row error(long line, String postId, String message) {
        return error(line, postId, message, null, null);
    }

    private static Row error(long line, String postId, String message, String modality, String encoder) {
        return RowFactory.create("error", line, postId, null, null, modality, encoder, null, null, null, message);
    }

    private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> m) {
        return scala.collection.immutable.Map.from(scala.jdk.CollectionConverters.MapHasAsScala(m).asScala());
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static String safe(java.util.function.Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
