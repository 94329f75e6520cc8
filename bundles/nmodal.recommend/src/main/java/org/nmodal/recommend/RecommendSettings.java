package org.nmodal.recommend;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.recommend.RecommendSpec;

/** Reads the {@code recommend} block of a pipeline file; every problem is one line naming the field. */
public final class RecommendSettings {
    private static final Set<String> FIELDS = new TreeSet<>(Set.of("field", "k", "minCount", "stem", "width", "epochs",
            "negatives", "hidden", "mappingEpochs", "mappingLr", "neighbours", "features", "loss", "temperature", "dropout",
            "weightDecay", "patience", "context", "contextWeight", "contextPower", "tuneTags", "ensemble", "serve"));
    /** The mapping's loss when the block names none: the softmax over tag cosines (see {@link TagMapping}). */
    public static final String DEFAULT_LOSS = "softmax";
    static final double DEFAULT_TEMPERATURE = 0.05;
    static final double DEFAULT_DROPOUT = 0.2;
    static final double DEFAULT_WEIGHT_DECAY = 1e-4;
    static final int DEFAULT_PATIENCE = 5;
    /** Neighbours in the mapping's context input (selected on MVSA's dev posts, as the two below). */
    static final int DEFAULT_CONTEXT = 50;
    static final double DEFAULT_CONTEXT_WEIGHT = 20;
    static final double DEFAULT_CONTEXT_POWER = 5;
    static final double DEFAULT_TUNE_TAGS = 1;

    private RecommendSettings() {}

    /** The block's settings, defaults for what it leaves out. */
    public static RecommendSpec read(JsonElement block, String where) {
        String at = where + ": recommend";
        if (block == null || !block.isJsonObject()) {
            throw new InvalidInputException(at + " must be an object, e.g. {\"field\": \"hashtags\", \"k\": [1, 5, 10]}");
        }
        JsonObject o = block.getAsJsonObject();
        for (String key : o.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new InvalidInputException(at + ": unknown field '" + key + "' (fields: " + String.join(", ", FIELDS)
                        + ")");
            }
        }
        String field = o.has("field") ? text(o.get("field"), at + ".field") : "hashtags";
        if (!Set.of("hashtags", "tags").contains(field)) {
            throw new InvalidInputException(at + ".field '" + field + "' (expected hashtags or tags: the metadata lists "
                    + "of a post)");
        }
        List<Integer> k = new ArrayList<>();
        if (o.has("k")) {
            if (!o.get("k").isJsonArray()) {
                throw new InvalidInputException(at + ".k must be a list of cut-offs, e.g. [1, 5, 10]");
            }
            o.get("k").getAsJsonArray().forEach(x -> k.add(integer(x, at + ".k", 1)));
            k.sort(Integer::compare);
        } else {
            k.addAll(List.of(1, 5, 10));
        }
        if (k.isEmpty()) {
            throw new InvalidInputException(at + ".k is empty (name at least one cut-off)");
        }
        List<String> features = new ArrayList<>();
        if (o.has("features")) {
            if (!o.get("features").isJsonArray()) {
                throw new InvalidInputException(at + ".features must be a list, e.g. [\"raw\", \"aligned\"]");
            }
            o.get("features").getAsJsonArray().forEach(x -> features.add(text(x, at + ".features")));
            if (features.isEmpty() || !Set.of("raw", "aligned").containsAll(features)) {
                throw new InvalidInputException(at + ".features " + features + " (expected raw and/or aligned)");
            }
        } else {
            features.addAll(List.of("raw", "aligned"));
        }
        if (o.has("stem") && !(o.get("stem").isJsonPrimitive() && o.get("stem").getAsJsonPrimitive().isBoolean())) {
            throw new InvalidInputException(at + ".stem must be true or false, got " + o.get("stem"));
        }
        boolean stem = !o.has("stem") || o.get("stem").getAsBoolean();
        double lr = number(o.get("mappingLr"), at + ".mappingLr", 1e-3);
        if (!(lr > 0)) {
            throw new InvalidInputException(at + ".mappingLr must be above 0");
        }
        String loss = o.has("loss") ? text(o.get("loss"), at + ".loss") : DEFAULT_LOSS;
        if (!Set.of("softmax", "mse").contains(loss)) {
            throw new InvalidInputException(at + ".loss '" + loss + "' (expected softmax: cross-entropy over the "
                    + "cosines to every tag, or mse: the paper's squared distance to the post's tags)");
        }
        double temperature = number(o.get("temperature"), at + ".temperature", DEFAULT_TEMPERATURE);
        if (!(temperature > 0 && temperature <= 10)) {
            throw new InvalidInputException(at + ".temperature must be above 0 and at most 10, got " + temperature);
        }
        double dropout = number(o.get("dropout"), at + ".dropout", DEFAULT_DROPOUT);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidInputException(at + ".dropout must be from 0 to below 1, got " + dropout);
        }
        double decay = number(o.get("weightDecay"), at + ".weightDecay", DEFAULT_WEIGHT_DECAY);
        if (!(decay >= 0 && decay < 1)) {
            throw new InvalidInputException(at + ".weightDecay must be from 0 to below 1, got " + decay);
        }
        double contextWeight = number(o.get("contextWeight"), at + ".contextWeight", DEFAULT_CONTEXT_WEIGHT);
        if (!(contextWeight > 0 && contextWeight <= 1000)) {
            throw new InvalidInputException(at + ".contextWeight must be above 0 and at most 1000, got " + contextWeight);
        }
        double power = number(o.get("contextPower"), at + ".contextPower", DEFAULT_CONTEXT_POWER);
        if (!(power > 0 && power <= 20)) {
            throw new InvalidInputException(at + ".contextPower must be above 0 and at most 20, got " + power);
        }
        double tune = number(o.get("tuneTags"), at + ".tuneTags", DEFAULT_TUNE_TAGS);
        if (!(tune >= 0 && tune <= 100)) {
            throw new InvalidInputException(at + ".tuneTags must be from 0 to 100, got " + tune);
        }
        int ensemble = integer(o.get("ensemble"), at + ".ensemble", 1, 1);
        if (ensemble > 50) {
            throw new InvalidInputException(at + ".ensemble must be from 1 to 50 mappings, got " + ensemble);
        }
        String serve = o.has("serve") ? text(o.get("serve"), at + ".serve") : RecommendSpec.SERVE_FUSED;
        if (!Set.of(RecommendSpec.SERVE_FUSED, RecommendSpec.SERVE_LATE).contains(serve)) {
            throw new InvalidInputException(at + ".serve '" + serve + "' (expected fused: one mapping of the fused "
                    + "embedding, or late: one mapping per modality, the scores averaged)");
        }
        return new RecommendSpec(field, k, integer(o.get("minCount"), at + ".minCount", 1, 3), stem,
                integer(o.get("width"), at + ".width", 2, 100), integer(o.get("epochs"), at + ".epochs", 0, 30),
                integer(o.get("negatives"), at + ".negatives", 0, 5), integer(o.get("hidden"), at + ".hidden", 1, 512),
                integer(o.get("mappingEpochs"), at + ".mappingEpochs", 1, 40), lr,
                integer(o.get("neighbours"), at + ".neighbours", 1, 50), features, loss, temperature, dropout, decay,
                integer(o.get("patience"), at + ".patience", 0, DEFAULT_PATIENCE),
                integer(o.get("context"), at + ".context", 0, DEFAULT_CONTEXT), contextWeight, power, tune,
                ensemble, serve);
    }

    /** The mapping's settings for a spec and seed. */
    public static TagMapping.Settings mapping(RecommendSpec spec, long seed) {
        return new TagMapping.Settings(spec.hidden(), spec.mappingEpochs(), spec.mappingLr(), spec.weightDecay(), 128,
                seed, spec.loss().equals("mse") ? TagMapping.Loss.MSE : TagMapping.Loss.SOFTMAX, spec.temperature(),
                spec.dropout(), spec.patience(), spec.tuneTags());
    }

    private static String text(JsonElement e, String where) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InvalidInputException(where + " must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static double number(JsonElement e, String where, double def) {
        if (e == null) {
            return def;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new InvalidInputException(where + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }

    private static int integer(JsonElement e, String where, int min, int def) {
        return e == null ? def : integer(e, where, min);
    }

    private static int integer(JsonElement e, String where, int min) {
        double v;
        try {
            v = e.getAsDouble();
        } catch (RuntimeException ex) {
            throw new InvalidInputException(where + " must be a whole number, got " + e);
        }
        if (v != Math.rint(v) || v < min || v > 1_000_000) {
            throw new InvalidInputException(where + " must be a whole number from " + min + ", got " + e);
        }
        return (int) v;
    }
}
