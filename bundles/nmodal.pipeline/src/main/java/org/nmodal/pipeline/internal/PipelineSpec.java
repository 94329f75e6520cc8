package org.nmodal.pipeline.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nmodal.api.InvalidInputException;

/**
 * A pipeline file, parsed. Field names follow {@code pipelines/*.json}; every problem is an
 * {@link InvalidInputException} naming the file and the field.
 *
 * @param file where it came from
 * @param id the pipeline's id
 * @param dataFormat {@code features} (a feature table) or {@code posts} (posts.jsonl with media)
 * @param dataPath the data folder, resolved against the file's folder
 * @param splitColumn for feature tables, the meta.csv column with the splits
 * @param contextColumn for feature tables, the meta.csv column grouping posts (a video, a thread) whose mean
 *     features are appended to each post's as context; null for none
 * @param modalities modalities in order
 * @param encoders encoder name per modality (posts format only)
 * @param projectionDim shared latent space dimension
 * @param dropout dropout in the projection heads
 * @param loss loss name
 * @param lossSettings the loss's other fields
 * @param fusion fusion name
 * @param classifiers classifier names
 * @param tasks label names to predict
 * @param epochs maximum epochs
 * @param batch batch size
 * @param lr learning rate
 * @param weightDecay AdamW weight decay
 * @param patience epochs without dev improvement before stopping
 * @param seed seed for everything random
 * @param optional modalities bound into a served model when an encoder for them appears: modality to encoder name,
 *     or to "" for any encoder of that modality ({@code optionalModalities}, or {@code "modalities": "*"})
 * @param encodeTimeoutMs how long one encoder call (a batch of up to 32 inputs) may take before that encoder is
 *     reported as blocking and its inputs as failed ({@code encodeTimeoutMs}, default 600000)
 * @param servingClassifier the classifier a served model answers with ({@code serve.classifier}, default the first
 *     of {@code classifiers})
 */
record PipelineSpec(Path file, String id, String dataFormat, Path dataPath, String splitColumn,
        String contextColumn, List<String> modalities, Map<String, String> encoders, int projectionDim, double dropout, String loss,
        Map<String, Object> lossSettings, String fusion, List<String> classifiers, List<String> tasks, int epochs,
        int batch, double lr, double weightDecay, int patience, long seed, Map<String, String> optional,
        String servingClassifier, long encodeTimeoutMs) {

    private static final Set<String> TOP = Set.of("id", "description", "data", "modalities", "encoders",
            "optionalModalities", "projection", "loss", "fusion", "classifiers", "tasks", "train", "serve",
            "encodeTimeoutMs");
    /** The modalities a post file can carry, for {@code "modalities": "*"}. */
    static final List<String> POST_MODALITIES = List.of("text", "image", "video", "audio");

    /** Reads and checks the file's structure (names are checked against services by {@link Registry}). */
    static PipelineSpec read(Path file, Path dataOverride) {
        String where = file.getFileName().toString();
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidInputException(file + ": not a JSON object (" + e.getMessage() + ")");
        }
        for (String key : o.keySet()) {
            if (!TOP.contains(key)) {
                throw new InvalidInputException(where + ": unknown field '" + key + "' (fields: "
                        + String.join(", ", new java.util.TreeSet<>(TOP)) + ")");
            }
        }
        String id = text(o, "id", where, null);
        JsonObject data = object(o, "data", where, true);
        String format = text(data, "format", where + ": data", "features");
        if (!Set.of("features", "posts").contains(format)) {
            throw new InvalidInputException(where + ": data.format '" + format + "' (expected features or posts)");
        }
        Path base = file.toAbsolutePath().getParent();
        Path dataPath = dataOverride != null ? dataOverride.toAbsolutePath().normalize()
                : base.resolve(text(data, "path", where + ": data", null)).normalize();
        String splitColumn = text(data, "splitColumn", where + ": data", "split");
        String contextColumn = data.has("contextColumn") ? text(data, "contextColumn", where + ": data", null) : null;

        Map<String, String> encoders = new LinkedHashMap<>();
        List<String> modalities;
        if (format.equals("posts")) {
            JsonObject enc = object(o, "encoders", where, true);
            for (Map.Entry<String, JsonElement> e : enc.entrySet()) {
                encoders.put(e.getKey(), e.getValue().getAsString());
            }
            modalities = new ArrayList<>(encoders.keySet());
            if (o.has("modalities") && !(o.get("modalities").isJsonPrimitive()
                    && o.get("modalities").getAsString().equals("*"))) {
                throw new InvalidInputException(where + ": for posts, 'modalities' can only be \"*\" (any modality "
                        + "an encoder appears for); the modalities are the keys of 'encoders'");
            }
        } else {
            modalities = strings(o, "modalities", where, List.of());
        }
        if (modalities.isEmpty()) {
            throw new InvalidInputException(where + ": " + (format.equals("posts") ? "encoders" : "modalities")
                    + " is empty (name at least one modality)");
        }
        JsonObject projection = object(o, "projection", where, false);
        int dim = (int) number(projection, "dim", where + ": projection", 256);
        double dropout = number(projection, "dropout", where + ": projection", 0.1);

        String lossName;
        Map<String, Object> lossSettings = new LinkedHashMap<>();
        JsonElement lossEl = o.get("loss");
        if (lossEl == null) {
            lossName = "nmodal-softclip";
        } else if (lossEl.isJsonPrimitive()) {
            lossName = lossEl.getAsString();
        } else {
            JsonObject l = lossEl.getAsJsonObject();
            lossName = text(l, "name", where + ": loss", null);
            for (Map.Entry<String, JsonElement> e : l.entrySet()) {
                if (!e.getKey().equals("name")) {
                    JsonElement v = e.getValue();
                    lossSettings.put(e.getKey(), v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
                            ? (Object) v.getAsDouble() : v.getAsString());
                }
            }
        }
        String fusion = o.has("fusion") ? o.get("fusion").getAsString() : "concat";
        List<String> classifiers = strings(o, "classifiers", where,
                List.of("gaussian-nb", "random-forest", "linear-svm", "logistic"));
        List<String> tasks = strings(o, "tasks", where, List.of());
        if (tasks.isEmpty()) {
            throw new InvalidInputException(where + ": tasks is empty (name the label columns to predict)");
        }
        JsonObject train = object(o, "train", where, false);
        int epochs = (int) number(train, "epochs", where + ": train", 30);
        int batch = (int) number(train, "batch", where + ": train", 128);
        double lr = number(train, "lr", where + ": train", 1e-3);
        double wd = number(train, "weightDecay", where + ": train", 1e-3);
        int patience = (int) number(train, "patience", where + ": train", 5);
        long seed = (long) number(train, "seed", where + ": train", 7);
        Map<String, String> optional = new LinkedHashMap<>();
        JsonElement opt = o.get("optionalModalities");
        if (opt != null) {
            if (opt.isJsonArray()) {
                opt.getAsJsonArray().forEach(x -> optional.put(x.getAsString(), ""));
            } else if (opt.isJsonObject()) {
                opt.getAsJsonObject().entrySet().forEach(e -> optional.put(e.getKey(), e.getValue().getAsString()));
            } else {
                throw new InvalidInputException(where + ": 'optionalModalities' must be a list of modalities or an "
                        + "object modality -> encoder name");
            }
        }
        if (format.equals("posts") && o.has("modalities")) {
            POST_MODALITIES.forEach(m -> optional.putIfAbsent(m, ""));
        }
        modalities.forEach(optional::remove);
        if (!optional.isEmpty() && !format.equals("posts")) {
            throw new InvalidInputException(where + ": optionalModalities need data.format posts (a feature table has "
                    + "no media to encode)");
        }
        JsonObject serve = object(o, "serve", where, false);
        String servingClassifier = text(serve, "classifier", where + ": serve", classifiers.isEmpty() ? "logistic"
                : classifiers.get(0));
        long timeout = (long) number(o, "encodeTimeoutMs", where, 600_000);
        if (timeout < 1) {
            throw new InvalidInputException(where + ": encodeTimeoutMs must be at least 1");
        }
        if (dim < 2 || epochs < 0 || batch < 2 || !(lr > 0) || dropout < 0 || dropout >= 1) {
            throw new InvalidInputException(where + ": need projection.dim >= 2, train.epochs >= 0, train.batch >= 2, "
                    + "train.lr > 0 and 0 <= projection.dropout < 1");
        }
        return new PipelineSpec(file.toAbsolutePath(), id, format, dataPath, splitColumn, contextColumn,
                List.copyOf(modalities),
                encoders, dim, dropout, lossName, lossSettings, fusion, classifiers, tasks, epochs, batch, lr, wd,
                patience, seed, optional, servingClassifier, timeout);
    }

    private static JsonObject object(JsonObject o, String key, String where, boolean required) {
        JsonElement e = o.get(key);
        if (e == null) {
            if (required) {
                throw new InvalidInputException(where + ": missing field '" + key + "'");
            }
            return new JsonObject();
        }
        if (!e.isJsonObject()) {
            throw new InvalidInputException(where + ": '" + key + "' must be an object");
        }
        return e.getAsJsonObject();
    }

    private static String text(JsonObject o, String key, String where, String def) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (def == null) {
                throw new InvalidInputException(where + ": missing field '" + key + "'");
            }
            return def;
        }
        if (!e.isJsonPrimitive()) {
            throw new InvalidInputException(where + ": '" + key + "' must be a string");
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String key, String where, double def) {
        JsonElement e = o.get(key);
        if (e == null) {
            return def;
        }
        try {
            return e.getAsDouble();
        } catch (RuntimeException ex) {
            throw new InvalidInputException(where + ": '" + key + "' must be a number, got " + e);
        }
    }

    private static List<String> strings(JsonObject o, String key, String where, List<String> def) {
        JsonElement e = o.get(key);
        if (e == null) {
            return def;
        }
        if (!e.isJsonArray()) {
            throw new InvalidInputException(where + ": '" + key + "' must be a list of names");
        }
        List<String> out = new ArrayList<>();
        e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
        return out;
    }
}
