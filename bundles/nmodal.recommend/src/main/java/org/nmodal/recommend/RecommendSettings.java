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
            "negatives", "hidden", "mappingEpochs", "mappingLr", "neighbours", "features"));

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
        String field = o.has("field") ? o.get("field").getAsString() : "hashtags";
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
            o.get("features").getAsJsonArray().forEach(x -> features.add(x.getAsString()));
            if (features.isEmpty() || !Set.of("raw", "aligned").containsAll(features)) {
                throw new InvalidInputException(at + ".features " + features + " (expected raw and/or aligned)");
            }
        } else {
            features.addAll(List.of("raw", "aligned"));
        }
        boolean stem = !o.has("stem") || o.get("stem").getAsBoolean();
        double lr = o.has("mappingLr") ? o.get("mappingLr").getAsDouble() : 1e-3;
        if (!(lr > 0)) {
            throw new InvalidInputException(at + ".mappingLr must be above 0");
        }
        return new RecommendSpec(field, k, integer(o.get("minCount"), at + ".minCount", 1, 3), stem,
                integer(o.get("width"), at + ".width", 2, 100), integer(o.get("epochs"), at + ".epochs", 0, 30),
                integer(o.get("negatives"), at + ".negatives", 0, 5), integer(o.get("hidden"), at + ".hidden", 1, 512),
                integer(o.get("mappingEpochs"), at + ".mappingEpochs", 1, 40), lr,
                integer(o.get("neighbours"), at + ".neighbours", 1, 50), features);
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
