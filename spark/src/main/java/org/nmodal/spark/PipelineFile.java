package org.nmodal.spark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nmodal.api.InvalidInputException;

/**
 * The pipeline file of {@code runtime/nmodal run}, as the Spark application reads it: the optional {@code spark}
 * section (Spark-only settings) is taken out, and the rest is written to the run's folder as the file the embedded
 * runtime checks and runs, with {@code data.path} made absolute. The runtime's own checks (names of encoders,
 * losses, classifiers; field values) stay the single source of truth: {@code validate} is the runtime's.
 */
final class PipelineFile {
    /** Settings of the {@code spark} section, with their defaults. */
    record Spark(String runtimeJar, String work, String load, int batch, int partitions, long trainPosts,
            List<String> classifiers, String mediaRoot) implements Serializable {
        static final Set<String> FIELDS = Set.of("runtimeJar", "work", "load", "batch", "partitions", "trainPosts",
                "classifiers", "mediaRoot");
        static final List<String> MLLIB = List.of("logistic", "linear-svm", "naive-bayes", "random-forest");
    }

    final Path source;
    final JsonObject json;
    final Spark spark;

    private PipelineFile(Path source, JsonObject json, Spark spark) {
        this.source = source;
        this.json = json;
        this.spark = spark;
    }

    static PipelineFile read(Path file) {
        String where = file.getFileName().toString();
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidInputException(file + ": not a JSON object (" + e.getMessage() + ")");
        }
        JsonObject s = new JsonObject();
        if (o.has("spark")) {
            if (!o.get("spark").isJsonObject()) {
                throw new InvalidInputException(where + ": spark must be an object");
            }
            s = o.remove("spark").getAsJsonObject();
        }
        for (String key : s.keySet()) {
            if (!Spark.FIELDS.contains(key)) {
                throw new InvalidInputException(where + ": spark: unknown field '" + key + "' (fields: "
                        + String.join(", ", new java.util.TreeSet<>(Spark.FIELDS)) + ")");
            }
        }
        List<String> classifiers = Spark.MLLIB;
        if (s.has("classifiers")) {
            classifiers = s.getAsJsonArray("classifiers").asList().stream().map(JsonElement::getAsString).toList();
            for (String c : classifiers) {
                if (!Spark.MLLIB.contains(c)) {
                    throw new InvalidInputException(where + ": spark.classifiers: unknown MLlib classifier '" + c
                            + "' (available: " + String.join(", ", Spark.MLLIB) + ")");
                }
            }
        }
        int batch = s.has("batch") ? s.get("batch").getAsInt() : 32;
        if (batch < 1 || batch > 4096) {
            throw new InvalidInputException(where + ": spark.batch " + batch + " (expected 1 to 4096)");
        }
        Spark spark = new Spark(str(s, "runtimeJar"), str(s, "work"), str(s, "load"), batch,
                s.has("partitions") ? s.get("partitions").getAsInt() : 0,
                s.has("trainPosts") ? s.get("trainPosts").getAsLong() : 200_000L, classifiers, str(s, "mediaRoot"));
        return new PipelineFile(file.toAbsolutePath().normalize(), o, spark);
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    String id() {
        return json.has("id") ? json.get("id").getAsString() : "pipeline";
    }

    JsonObject data() {
        return json.has("data") && json.get("data").isJsonObject() ? json.getAsJsonObject("data") : new JsonObject();
    }

    /** The data path the file names, resolved against the file's folder (null if it names none). */
    Path dataPath() {
        JsonObject d = data();
        return d.has("path") ? source.getParent().resolve(d.get("path").getAsString()).normalize() : null;
    }

    boolean allowPathsOutside() {
        JsonObject d = data();
        return d.has("allowPathsOutside") && d.get("allowPathsOutside").getAsBoolean();
    }

    /** Modality to encoder name, in file order. */
    Map<String, String> encoders() {
        Map<String, String> out = new LinkedHashMap<>();
        if (json.has("encoders") && json.get("encoders").isJsonObject()) {
            json.getAsJsonObject("encoders").entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
        }
        return out;
    }

    List<String> tasks() {
        return json.has("tasks") ? json.getAsJsonArray("tasks").asList().stream().map(JsonElement::getAsString).toList()
                : List.of();
    }

    long encodeTimeoutMs() {
        return json.has("encodeTimeoutMs") ? json.get("encodeTimeoutMs").getAsLong() : 120_000L;
    }

    /**
     * Writes the file without its {@code spark} section, {@code data.path} absolute (so the copy can live anywhere),
     * optionally pointing at another data folder.
     */
    Path writeFor(Path file, Path data) throws IOException {
        JsonObject copy = json.deepCopy();
        JsonObject d = copy.has("data") && copy.get("data").isJsonObject() ? copy.getAsJsonObject("data")
                : new JsonObject();
        Path p = data != null ? data : dataPath();
        if (p != null) {
            d.addProperty("path", p.toAbsolutePath().normalize().toString());
        }
        copy.add("data", d);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".pipeline", ".part");
        Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(copy), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
