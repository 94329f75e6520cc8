package org.nmodal.assembly;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.pipeline.PipelineSpec;

/**
 * A pipeline file, parsed: the {@link PipelineSpec} the assembly hands out. Field names follow
 * {@code pipelines/*.json}; every problem is an {@link InvalidInputException} naming the file and the field.
 */
public record PipelineDefinition(Path file, String id, String dataFormat, Path dataPath, boolean allowPathsOutside,
        String splitColumn, String contextColumn, Map<String, TextColumn> textColumns, List<String> modalities,
        Map<String, String> encoders,
        Map<String, String> optionalModalities, int projectionDim, double dropout, String loss,
        Map<String, Object> lossSettings, String fusion, Map<String, Object> fusionSettings, List<String> classifiers,
        Map<String, Map<String, Object>> classifierSettings, String servingClassifier, List<String> tasks, Training training, long encodeTimeoutMs, String folds)
        implements PipelineSpec {

    /**
     * A feature table's text column encoded as a modality: {@code "textColumns": {"transcript": {"column": "text",
     * "encoder": "bge-small"}}} in {@code data}.
     *
     * @param column the meta.csv column holding the text
     * @param encoder the text encoder's name
     */
    public record TextColumn(String column, String encoder) {}

    /** Copies the collections. */
    public PipelineDefinition {
        textColumns = Collections.unmodifiableMap(new LinkedHashMap<>(textColumns));
        modalities = List.copyOf(modalities);
        encoders = Collections.unmodifiableMap(new LinkedHashMap<>(encoders));
        optionalModalities = Collections.unmodifiableMap(new LinkedHashMap<>(optionalModalities));
        lossSettings = Collections.unmodifiableMap(new LinkedHashMap<>(lossSettings));
        fusionSettings = Collections.unmodifiableMap(new LinkedHashMap<>(fusionSettings));
        classifiers = List.copyOf(classifiers);
        Map<String, Map<String, Object>> cs = new LinkedHashMap<>();
        classifierSettings.forEach((k, v) -> cs.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        classifierSettings = Collections.unmodifiableMap(cs);
        tasks = List.copyOf(tasks);
    }

    /** The same pipeline over fewer modalities (a modality no post could be encoded for is left out of a run). */
    public PipelineDefinition withModalities(List<String> kept) {
        Map<String, String> enc = new LinkedHashMap<>(encoders);
        enc.keySet().retainAll(kept);
        Map<String, TextColumn> text = new LinkedHashMap<>(textColumns);
        text.keySet().retainAll(kept);
        return new PipelineDefinition(file, id, dataFormat, dataPath, allowPathsOutside, splitColumn, contextColumn,
                text, kept, enc, optionalModalities, projectionDim, dropout, loss, lossSettings, fusion,
                fusionSettings, classifiers, classifierSettings, servingClassifier, tasks, training, encodeTimeoutMs,
                folds);
    }

    /** The encoder of every modality that is encoded: the posts' {@code encoders} and a table's text columns. */
    public Map<String, String> encodersUsed() {
        Map<String, String> all = new LinkedHashMap<>(encoders);
        textColumns.forEach((m, t) -> all.put(m, t.encoder()));
        return all;
    }

    /** Letters, digits, '.', '_' and '-', not starting with '.': an id names folders under the work folder. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final Set<String> TOP = Set.of("id", "description", "data", "modalities", "encoders",
            "optionalModalities", "projection", "loss", "fusion", "classifiers", "tasks", "train", "serve",
            "encodeTimeoutMs");
    /** The modalities a post file can carry, for {@code "modalities": "*"}. */
    public static final List<String> POST_MODALITIES = List.of("text", "image", "video", "audio");

    /** Reads and checks the file's structure (names are checked against the running parts elsewhere). */
    public static PipelineDefinition read(Path file, Path dataOverride) {
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
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException(where + ": id '" + id + "' must be 1 to 100 letters, digits, '.', '_' or '-' "
                    + "and not start with '.' (it names folders)");
        }
        JsonObject data = object(o, "data", where, true);
        String format = text(data, "format", where + ": data", "features");
        if (!Set.of("features", "posts").contains(format)) {
            throw new InvalidInputException(where + ": data.format '" + format + "' (expected features or posts)");
        }
        Path base = file.toAbsolutePath().getParent();
        Path dataPath = dataOverride != null ? dataOverride.toAbsolutePath().normalize()
                : base.resolve(text(data, "path", where + ": data", null)).normalize();
        boolean outside = data.has("allowPathsOutside") && flag(data, "allowPathsOutside", where + ": data");
        String splitColumn = text(data, "splitColumn", where + ": data", "split");
        String contextColumn = data.has("contextColumn") ? text(data, "contextColumn", where + ": data", null) : null;
        String folds = folds(data, format, where);

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
            modalities = new ArrayList<>(strings(o, "modalities", where, List.of()));
        }
        Map<String, TextColumn> textColumns = textColumns(data, where);
        if (!textColumns.isEmpty() && !format.equals("features")) {
            throw new InvalidInputException(where + ": data.textColumns need data.format features (posts name their "
                    + "text encoder in 'encoders')");
        }
        textColumns.keySet().stream().filter(m -> !modalities.contains(m)).forEach(modalities::add);
        if (modalities.isEmpty()) {
            throw new InvalidInputException(where + ": " + (format.equals("posts") ? "encoders" : "modalities")
                    + " is empty (name at least one modality)");
        }
        JsonObject projection = object(o, "projection", where, false);
        int dim = (int) number(projection, "dim", where + ": projection", 256);
        double dropout = number(projection, "dropout", where + ": projection", 0.1);

        Map<String, Object> lossSettings = new LinkedHashMap<>();
        String lossName = named(o, "loss", "nmodal-softclip", lossSettings, where);
        Map<String, Object> fusionSettings = new LinkedHashMap<>();
        String fusion = named(o, "fusion", "concat", fusionSettings, where);
        Map<String, Map<String, Object>> classifierSettings = new LinkedHashMap<>();
        List<String> classifiers = classifiers(o, where, classifierSettings);
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
        return new PipelineDefinition(file.toAbsolutePath(), id, format, dataPath, outside, splitColumn, contextColumn,
                textColumns, modalities, encoders, optional, dim, dropout, lossName, lossSettings, fusion,
                fusionSettings, classifiers, classifierSettings, servingClassifier, tasks,
                new Training(epochs, batch, lr, wd, patience, seed),
                timeout, folds);
    }

    /**
     * {@code data.folds}: the per-post fold field of a cross-validation, or null. Posts name a metadata field
     * ({@code "meta.fold"}); a feature table names a meta.csv column.
     */
    private static String folds(JsonObject data, String format, String where) {
        if (!data.has("folds") || data.get("folds").isJsonNull()) {
            return null;
        }
        String f = text(data, "folds", where + ": data", null).trim();
        if (format.equals("posts") && (!f.startsWith("meta.") || f.length() == "meta.".length())) {
            throw new InvalidInputException(where + ": data.folds '" + f + "' must name a metadata field of the posts, "
                    + "e.g. \"meta.fold\"");
        }
        if (f.isEmpty()) {
            throw new InvalidInputException(where + ": data.folds is empty (name the meta.csv column holding each "
                    + "post's fold)");
        }
        return f;
    }

    /**
     * {@code data.textColumns}: modality to {@code {"column": ..., "encoder": ...}}; both fields are required and no
     * other is allowed.
     */
    private static Map<String, TextColumn> textColumns(JsonObject data, String where) {
        Map<String, TextColumn> out = new LinkedHashMap<>();
        JsonElement el = data.get("textColumns");
        if (el == null) {
            return out;
        }
        if (!el.isJsonObject()) {
            throw new InvalidInputException(where + ": data.textColumns must be an object modality -> {\"column\": "
                    + "..., \"encoder\": ...}");
        }
        for (Map.Entry<String, JsonElement> e : el.getAsJsonObject().entrySet()) {
            String field = where + ": data.textColumns." + e.getKey();
            if (!ID.matcher(e.getKey()).matches()) {
                throw new InvalidInputException(field + ": a modality name is 1 to 100 letters, digits, '.', '_' or "
                        + "'-', not starting with '.'");
            }
            if (!e.getValue().isJsonObject()) {
                throw new InvalidInputException(field + " must be an object {\"column\": ..., \"encoder\": ...}");
            }
            JsonObject t = e.getValue().getAsJsonObject();
            for (String key : t.keySet()) {
                if (!Set.of("column", "encoder").contains(key)) {
                    throw new InvalidInputException(field + ": unknown field '" + key + "' (fields: column, encoder)");
                }
            }
            out.put(e.getKey(), new TextColumn(text(t, "column", field, null), text(t, "encoder", field, null)));
        }
        return out;
    }

    /**
     * {@code classifiers}: a list of names or objects {@code {"name": ..., <settings>}} (default: the four built-in
     * ones); each one's settings go into {@code settings} under its name.
     */
    private static List<String> classifiers(JsonObject o, String where, Map<String, Map<String, Object>> settings) {
        JsonElement e = o.get("classifiers");
        if (e == null) {
            return List.of("gaussian-nb", "random-forest", "linear-svm", "logistic");
        }
        if (!e.isJsonArray()) {
            throw new InvalidInputException(where + ": 'classifiers' must be a list of names or {\"name\": ..., "
                    + "<settings>} objects");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < e.getAsJsonArray().size(); i++) {
            JsonObject holder = new JsonObject();
            holder.add("classifiers[" + i + "]", e.getAsJsonArray().get(i));
            Map<String, Object> s = new LinkedHashMap<>();
            String name = named(holder, "classifiers[" + i + "]", null, s, where);
            if (out.contains(name)) {
                throw new InvalidInputException(where + ": classifiers[" + i + "]: '" + name + "' is listed twice");
            }
            out.add(name);
            if (!s.isEmpty()) {
                settings.put(name, s);
            }
        }
        return out;
    }

    /**
     * A part named by a bare string or by an object {@code {"name": ..., <settings>}}; the settings are copied into
     * {@code settings} (numbers as doubles, booleans as booleans, anything else as its text).
     */
    private static String named(JsonObject o, String key, String def, Map<String, Object> settings, String where) {
        JsonElement el = o.get(key);
        if (el == null) {
            return def;
        }
        if (el.isJsonPrimitive()) {
            return el.getAsString();
        }
        if (!el.isJsonObject()) {
            throw new InvalidInputException(where + ": '" + key + "' must be a name or an object {\"name\": ..., "
                    + "<settings>}");
        }
        JsonObject l = el.getAsJsonObject();
        String name = text(l, "name", where + ": " + key, null);
        for (Map.Entry<String, JsonElement> e : l.entrySet()) {
            if (!e.getKey().equals("name")) {
                JsonElement v = e.getValue();
                if (!v.isJsonPrimitive()) {
                    throw new InvalidInputException(where + ": " + key + "." + e.getKey() + " must be a number, a "
                            + "boolean or a string");
                }
                settings.put(e.getKey(), v.getAsJsonPrimitive().isNumber() ? (Object) v.getAsDouble()
                        : v.getAsJsonPrimitive().isBoolean() ? (Object) v.getAsBoolean() : v.getAsString());
            }
        }
        return name;
    }

    private static boolean flag(JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new InvalidInputException(where + ": '" + key + "' must be true or false");
        }
        return e.getAsBoolean();
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
