package org.nmodal.assembly;

import static org.nmodal.data.JsonFields.kind;
import static org.nmodal.data.JsonFields.oneLine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
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
import org.nmodal.data.JsonFields;
import org.nmodal.data.StrictJson;
import org.nmodal.api.pipeline.SubsetRule;
import org.nmodal.api.recommend.RecommendSpec;
import org.nmodal.recommend.RecommendSettings;

/**
 * A pipeline file, parsed: the {@link PipelineSpec} the assembly hands out. Field names follow
 * {@code pipelines/*.json}; every problem is an {@link InvalidInputException} naming the file and the field.
 */
public record PipelineDefinition(Path file, String id, String dataFormat, Path dataPath, boolean allowPathsOutside,
        String splitColumn, String contextColumn, Map<String, TextColumn> textColumns, List<String> modalities,
        Map<String, String> encoders,
        Map<String, String> optionalModalities, int projectionDim, double dropout, String loss,
        Map<String, Object> lossSettings, String fusion, Map<String, Object> fusionSettings, List<String> classifiers,
        Map<String, Map<String, Object>> classifierSettings, String servingClassifier, List<String> tasks,
        Training training, long encodeTimeoutMs, String folds,
        Map<String, Adapted> adapters, RecommendSpec recommend, Experiment experiment) implements PipelineSpec {

    /**
     * The robustness and label-efficiency settings: {@code "reweighter": {"name": ..., <settings>}},
     * {@code train.noisyPairs} (0 to 1) with {@code train.noisyModality} (null: one drawn per post) and
     * {@code evaluate.labelFractions}; which modality subsets the ablation evaluates ({@code evaluate.subsets}); and
     * whether it also fuses late ({@code evaluate.lateFusion}: each modality classified alone, probabilities averaged).
     */
    public record Experiment(String reweighter, Map<String, Object> reweighterSettings, double noisyPairs,
            String noisyModality, List<Double> labelFractions, SubsetRule subsets, boolean lateFusion) {
        /** Nothing of the kind. */
        public static final Experiment NONE = new Experiment(null, Map.of(), 0, null, List.of());

        /** Copies the collections. */
        public Experiment {
            reweighterSettings = Collections.unmodifiableMap(new LinkedHashMap<>(reweighterSettings));
            labelFractions = List.copyOf(labelFractions);
            subsets = subsets == null ? SubsetRule.DEFAULT : subsets;
        }

        /** Without late fusion. */
        public Experiment(String reweighter, Map<String, Object> reweighterSettings, double noisyPairs,
                String noisyModality, List<Double> labelFractions, SubsetRule subsets) {
            this(reweighter, reweighterSettings, noisyPairs, noisyModality, labelFractions, subsets, false);
        }

        /** With the default subsets. */
        public Experiment(String reweighter, Map<String, Object> reweighterSettings, double noisyPairs,
                String noisyModality, List<Double> labelFractions) {
            this(reweighter, reweighterSettings, noisyPairs, noisyModality, labelFractions, SubsetRule.DEFAULT);
        }
    }

    /**
     * A feature table's text column encoded as a modality: {@code "textColumns": {"transcript": {"column": "text",
     * "encoder": "bge-small"}}} in {@code data}.
     *
     * @param column the meta.csv column holding the text
     * @param encoder the text encoder's name
     */
    public record TextColumn(String column, String encoder) {}

    /**
     * A modality made by a metadata adapter: {@code "adapters": {"caption": {"adapter": "caption", "encoder":
     * "minilm"}, "when": {"adapter": "time"}}} (or {@code "when": "time"}).
     *
     * @param adapter the adapter's name
     * @param encoder the text encoder of an adapter that gives texts; null for one that gives vectors
     */
    public record Adapted(String adapter, String encoder) {}

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
        adapters = Collections.unmodifiableMap(new LinkedHashMap<>(adapters));
    }

    /** {@code evaluate.subsets}. */
    @Override
    public SubsetRule subsets() {
        return experiment.subsets();
    }

    /** The same pipeline over fewer modalities (a modality no post could be encoded for is left out of a run). */
    public PipelineDefinition withModalities(List<String> kept) {
        Map<String, String> enc = new LinkedHashMap<>(encoders);
        enc.keySet().retainAll(kept);
        Map<String, TextColumn> text = new LinkedHashMap<>(textColumns);
        text.keySet().retainAll(kept);
        Map<String, Adapted> adapted = new LinkedHashMap<>(adapters);
        adapted.keySet().retainAll(kept);
        return new PipelineDefinition(file, id, dataFormat, dataPath, allowPathsOutside, splitColumn, contextColumn,
                text, kept, enc, optionalModalities, projectionDim, dropout, loss, lossSettings, fusion,
                fusionSettings, classifiers, classifierSettings, servingClassifier, tasks, training, encodeTimeoutMs,
                folds, adapted, recommend, experiment);
    }

    /** The same pipeline over fewer tasks (a task that cannot be learned or scored is left out of a run). */
    public PipelineDefinition withTasks(List<String> kept) {
        return new PipelineDefinition(file, id, dataFormat, dataPath, allowPathsOutside, splitColumn, contextColumn,
                textColumns, modalities, encoders, optionalModalities, projectionDim, dropout, loss, lossSettings, fusion,
                fusionSettings, classifiers, classifierSettings, servingClassifier, kept, training, encodeTimeoutMs,
                folds, adapters, recommend, experiment);
    }

    /**
     * The encoder of every modality that is encoded: the posts' {@code encoders}, a table's text columns and the
     * text adapters' encoders.
     */
    public Map<String, String> encodersUsed() {
        Map<String, String> all = new LinkedHashMap<>(encoders);
        textColumns.forEach((m, t) -> all.put(m, t.encoder()));
        adapters.forEach((m, a) -> {
            if (a.encoder() != null) {
                all.put(m, a.encoder());
            }
        });
        return all;
    }

    /** Letters, digits, '.', '_' and '-', not starting with '.': an id names folders under the work folder. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    /** Fields of a pipeline file; {@code spark} holds nmodal-spark's own settings and is ignored here. */
    private static final Set<String> TOP = Set.of("id", "description", "data", "modalities", "encoders",
            "optionalModalities", "projection", "loss", "fusion", "classifiers", "tasks", "train", "serve",
            "encodeTimeoutMs", "adapters", "recommend", "reweighter", "evaluate", "spark");
    /** The modalities a post file can carry, for {@code "modalities": "*"}. */
    public static final List<String> POST_MODALITIES = List.of("text", "image", "video", "audio");

    /** Largest projection: a head holds dim x dim weights in one Java array, and the file is hand-written. */
    public static final int MAX_DIM = 4096;

    /** Reads and checks the file's structure (names are checked against the running parts elsewhere). */
    public static PipelineDefinition read(Path file, Path dataOverride) {
        String where = file.getFileName().toString();
        JsonObject o;
        try {
            JsonElement root = StrictJson.parse(Files.readString(file,
                    StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new InvalidInputException(where + ": not a JSON object (the file holds " + kind(root) + ")");
            }
            o = root.getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException e) {
            throw new InvalidInputException(where + ": not valid JSON (" + e.getMessage() + ")");
        }
        for (String key : o.keySet()) {
            if (!TOP.contains(key)) {
                throw new InvalidInputException(where + ": unknown field '" + oneLine(key) + "' (fields: "
                        + String.join(", ", new java.util.TreeSet<>(TOP)) + ")");
            }
        }
        JsonFields f = new JsonFields(where);
        String id = f.text(o, "", "id", null);
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException(where + ": id '" + oneLine(id) + "' must be 1 to 100 letters, digits, '.', "
                    + "'_' or '-' and not start with '.' (it names folders)");
        }
        if (o.has("description")) {
            f.text(o, "", "description", null);
        }
        JsonObject data = f.object(o, "", "data", true);
        String format = f.text(data, "data", "format", "features");
        if (!Set.of("features", "posts").contains(format)) {
            throw new InvalidInputException(where + ": data.format '" + oneLine(format) + "' (expected features or posts)");
        }
        for (String key : data.keySet()) {
            if (!DATA.contains(key)) {
                throw new InvalidInputException(where + ": data: unknown field '" + oneLine(key) + "' (fields: "
                        + String.join(", ", new java.util.TreeSet<>(DATA)) + ")");
            }
        }
        Path base = file.toAbsolutePath().getParent();
        Path dataPath;
        try {
            dataPath = dataOverride != null ? dataOverride.toAbsolutePath().normalize()
                    : base.resolve(f.text(data, "data", "path", null)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidInputException(where + ": data.path: not a path (" + e.getReason() + ")");
        }
        boolean outside = data.has("allowPathsOutside") && f.flag(data, "data", "allowPathsOutside");
        String splitColumn = f.text(data, "data", "splitColumn", "split");
        String contextColumn = data.has("contextColumn") && !data.get("contextColumn").isJsonNull()
                ? f.text(data, "data", "contextColumn", null) : null;
        String folds = folds(f, data, format, where);

        Map<String, String> encoders = new LinkedHashMap<>();
        List<String> modalities;
        if (format.equals("posts")) {
            JsonObject enc = f.object(o, "", "encoders", true);
            for (String m : enc.keySet()) {
                encoders.put(m, f.text(enc, "encoders", m, null));
            }
            modalities = new ArrayList<>(encoders.keySet());
            if (o.has("modalities") && !(o.get("modalities").isJsonPrimitive()
                    && o.get("modalities").getAsString().equals("*"))) {
                throw new InvalidInputException(where + ": for posts, 'modalities' can only be \"*\" (any modality "
                        + "an encoder appears for); the modalities are the keys of 'encoders'");
            }
        } else {
            modalities = new ArrayList<>(f.strings(o, "", "modalities", List.of()));
        }
        Map<String, TextColumn> textColumns = textColumns(f, data, where);
        if (!textColumns.isEmpty() && !format.equals("features")) {
            throw new InvalidInputException(where + ": data.textColumns need data.format features (posts name their "
                    + "text encoder in 'encoders')");
        }
        textColumns.keySet().stream().filter(m -> !modalities.contains(m)).forEach(modalities::add);
        Map<String, Adapted> adapters = adapters(f, o, where, format, modalities);
        modalities.addAll(adapters.keySet());
        if (modalities.isEmpty()) {
            throw new InvalidInputException(where + ": " + (format.equals("posts") ? "encoders" : "modalities")
                    + " is empty (name at least one modality)");
        }
        for (String m : modalities) {
            if (!ID.matcher(m).matches()) {
                throw new InvalidInputException(where + ": modality '" + oneLine(m) + "': a modality name is 1 to 100 "
                        + "letters, digits, '.', '_' or '-', not starting with '.'");
            }
        }
        JsonObject projection = f.object(o, "", "projection", false);
        f.only(projection, "projection", Set.of("dim", "dropout"));
        int dim = (int) f.whole(projection, "projection", "dim", 256, 2, MAX_DIM);
        double dropout = f.real(projection, "projection", "dropout", 0.1, 0, false, 1, true);

        Map<String, Object> lossSettings = new LinkedHashMap<>();
        String lossName = f.named(o, "loss", "nmodal-softclip", lossSettings);
        Map<String, Object> fusionSettings = new LinkedHashMap<>();
        String fusion = f.named(o, "fusion", "concat", fusionSettings);
        Map<String, Map<String, Object>> classifierSettings = new LinkedHashMap<>();
        List<String> classifiers = classifiers(f, o, classifierSettings);
        if (classifiers.isEmpty()) {
            throw new InvalidInputException(where + ": classifiers is empty (name at least one, or leave the field out "
                    + "for all four)");
        }
        List<String> tasks = f.strings(o, "", "tasks", List.of());
        RecommendSpec recommend = o.has("recommend") ? RecommendSettings.read(o.get("recommend"), where) : null;
        if (tasks.isEmpty() && recommend == null) {
            throw new InvalidInputException(where + ": tasks is empty (name the label columns to predict, or add a "
                    + "'recommend' block)");
        }
        if (recommend != null && !format.equals("posts")) {
            throw new InvalidInputException(where + ": recommend needs data.format posts (the tags are a post's "
                    + "metadata)");
        }
        JsonObject train = f.object(o, "", "train", false);
        f.only(train, "train", Set.of("epochs", "batch", "lr", "weightDecay", "patience", "seed", "noisyPairs",
                "noisyModality"));
        int epochs = (int) f.whole(train, "train", "epochs", 30, 1, 100_000);
        int batch = (int) f.whole(train, "train", "batch", 128, 2, 1_000_000);
        double lr = f.real(train, "train", "lr", 1e-3, 0, true, 10, false);
        double wd = f.real(train, "train", "weightDecay", 1e-3, 0, false, 10, false);
        int patience = (int) f.whole(train, "train", "patience", 5, 1, 100_000);
        long seed = f.whole(train, "train", "seed", 7, Long.MIN_VALUE, Long.MAX_VALUE);
        Map<String, String> optional = new LinkedHashMap<>();
        JsonElement opt = o.get("optionalModalities");
        if (opt != null) {
            if (opt.isJsonArray()) {
                for (String m : f.strings(o, "", "optionalModalities", List.of())) {
                    optional.put(m, "");
                }
            } else if (opt.isJsonObject()) {
                for (String m : opt.getAsJsonObject().keySet()) {
                    optional.put(m, f.text(opt.getAsJsonObject(), "optionalModalities", m, null));
                }
            } else {
                throw new InvalidInputException(where + ": 'optionalModalities' must be a list of modalities or an "
                        + "object modality -> encoder name");
            }
            for (String m : optional.keySet()) {
                if (!ID.matcher(m).matches()) {
                    throw new InvalidInputException(where + ": optionalModalities: '" + oneLine(m) + "' is not a "
                            + "modality name (1 to 100 letters, digits, '.', '_' or '-')");
                }
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
        JsonObject serve = f.object(o, "", "serve", false);
        f.only(serve, "serve", Set.of("classifier"));
        String servingClassifier = f.text(serve, "serve", "classifier", classifiers.get(0));
        long timeout = f.whole(o, "", "encodeTimeoutMs", 600_000, 1, 86_400_000L);
        return new PipelineDefinition(file.toAbsolutePath(), id, format, dataPath, outside, splitColumn, contextColumn,
                textColumns, modalities, encoders, optional, dim, dropout, lossName, lossSettings, fusion,
                fusionSettings, classifiers, classifierSettings, servingClassifier, tasks,
                new Training(epochs, batch, lr, wd, patience, seed),
                timeout, folds, adapters, recommend, experiment(f, o, train, modalities));
    }

    /**
     * {@code reweighter}, {@code train.noisyPairs}, {@code train.noisyModality}, {@code evaluate.labelFractions},
     * {@code evaluate.subsets}, {@code evaluate.lateFusion}.
     */
    private static Experiment experiment(JsonFields f, JsonObject o, JsonObject train, List<String> modalities) {
        Map<String, Object> settings = new LinkedHashMap<>();
        String reweighter = o.has("reweighter") ? f.named(o, "reweighter", null, settings) : null;
        double noisy = f.real(train, "train", "noisyPairs", 0, 0, false, 1, false);
        String noisyModality = train.has("noisyModality") ? f.text(train, "train", "noisyModality", null) : null;
        if (noisyModality != null && !modalities.contains(noisyModality)) {
            throw new InvalidInputException(f.where() + ": train.noisyModality '" + noisyModality + "' is not one of "
                    + modalities);
        }
        JsonObject evaluate = f.object(o, "", "evaluate", false);
        f.only(evaluate, "evaluate", Set.of("labelFractions", "subsets", "lateFusion"));
        List<Double> fractions = new ArrayList<>();
        if (evaluate.has("labelFractions")) {
            if (!evaluate.get("labelFractions").isJsonArray()) {
                throw new InvalidInputException(f.where() + ": evaluate.labelFractions must be a list of numbers in "
                        + "(0, 1]");
            }
            for (JsonElement e : evaluate.getAsJsonArray("labelFractions")) {
                double v = e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : Double.NaN;
                if (!(v > 0 && v <= 1)) {
                    throw new InvalidInputException(f.where() + ": evaluate.labelFractions: " + e + " is not a number "
                            + "in (0, 1]");
                }
                fractions.add(v);
            }
        }
        return new Experiment(reweighter, settings, noisy, noisyModality, fractions,
                SubsetRule.of(f.namesOrLists(evaluate, "evaluate", "subsets"), f.where() + ": evaluate.subsets",
                        modalities), evaluate.has("lateFusion") && f.flag(evaluate, "evaluate", "lateFusion"));
    }

    /** {@code adapters}: modality to an adapter name, or to {@code {"adapter": ..., "encoder": ...}}; posts only. */
    private static Map<String, Adapted> adapters(JsonFields f, JsonObject o, String where, String format,
            List<String> taken) {
        Map<String, Adapted> out = new LinkedHashMap<>();
        if (!o.has("adapters")) {
            return out;
        }
        JsonObject all = f.object(o, "", "adapters", true);
        if (!format.equals("posts") && !all.keySet().isEmpty()) {
            throw new InvalidInputException(where + ": adapters need data.format posts (they read the posts' metadata)");
        }
        for (Map.Entry<String, JsonElement> e : all.entrySet()) {
            String field = where + ": adapters." + e.getKey();
            if (!ID.matcher(e.getKey()).matches() || taken.contains(e.getKey())) {
                throw new InvalidInputException(field + ": a modality name is 1 to 100 letters, digits, '.', '_' or "
                        + "'-', not starting with '.', and not one the encoders already name");
            }
            if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isString()) {
                out.put(e.getKey(), new Adapted(e.getValue().getAsString(), null));
                continue;
            }
            JsonObject a = f.object(all, "adapters", e.getKey(), true);
            for (String key : a.keySet()) {
                if (!Set.of("adapter", "encoder").contains(key)) {
                    throw new InvalidInputException(field + ": unknown field '" + key + "' (fields: adapter, encoder)");
                }
            }
            String section = "adapters." + e.getKey();
            out.put(e.getKey(), new Adapted(f.text(a, section, "adapter", null),
                    a.has("encoder") ? f.text(a, section, "encoder", null) : null));
        }
        return out;
    }

    private static final Set<String> DATA = Set.of("format", "path", "allowPathsOutside", "splitColumn",
            "contextColumn", "folds", "textColumns");

    /**
     * {@code data.folds}: the per-post fold field of a cross-validation, or null. Posts name a metadata field
     * ({@code "meta.fold"}); a feature table names a meta.csv column.
     */
    private static String folds(JsonFields fields, JsonObject data, String format, String where) {
        if (!data.has("folds") || data.get("folds").isJsonNull()) {
            return null;
        }
        String f = fields.text(data, "data", "folds", null).trim();
        if (format.equals("posts") && (!f.startsWith("meta.") || f.length() == "meta.".length())) {
            throw new InvalidInputException(where + ": data.folds '" + oneLine(f) + "' must name a metadata field of "
                    + "the posts, e.g. \"meta.fold\"");
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
    private static Map<String, TextColumn> textColumns(JsonFields fields, JsonObject data, String where) {
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
            String section = "data.textColumns." + oneLine(e.getKey());
            String field = where + ": " + section;
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
                    throw new InvalidInputException(field + ": unknown field '" + oneLine(key)
                            + "' (fields: column, encoder)");
                }
            }
            out.put(e.getKey(), new TextColumn(fields.text(t, section, "column", null),
                    fields.text(t, section, "encoder", null)));
        }
        return out;
    }

    /**
     * {@code classifiers}: a list of names or objects {@code {"name": ..., <settings>}} (default: the four built-in
     * ones); each one's settings go into {@code settings} under its name.
     */
    private static List<String> classifiers(JsonFields f, JsonObject o, Map<String, Map<String, Object>> settings) {
        JsonElement e = o.get("classifiers");
        if (e == null) {
            return List.of("gaussian-nb", "random-forest", "linear-svm", "logistic");
        }
        if (!e.isJsonArray()) {
            throw new InvalidInputException(f.where() + ": classifiers: must be a list of names or {\"name\": ..., "
                    + "<settings>} objects, got " + JsonFields.kind(e));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < e.getAsJsonArray().size(); i++) {
            JsonObject holder = new JsonObject();
            holder.add("classifiers[" + i + "]", e.getAsJsonArray().get(i));
            Map<String, Object> s = new LinkedHashMap<>();
            String name = f.named(holder, "classifiers[" + i + "]", null, s);
            if (out.contains(name)) {
                throw new InvalidInputException(f.where() + ": classifiers[" + i + "]: '" + name + "' is listed twice");
            }
            out.add(name);
            if (!s.isEmpty()) {
                settings.put(name, s);
            }
        }
        return out;
    }

}
