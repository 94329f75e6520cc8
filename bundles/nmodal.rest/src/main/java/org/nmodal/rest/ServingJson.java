package org.nmodal.rest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.nmodal.api.recommend.TagAnswer;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.VersionInfo;

/** The JSON of the serving API's values, as documented in the README: one form for REST and the dashboard. */
public final class ServingJson {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private ServingJson() {}

    /** The JSON of one answer, as documented in the README. */
    public static JsonObject answer(Answer a) {
        JsonObject o = new JsonObject();
        o.addProperty("pipeline", a.pipeline());
        o.addProperty("version", a.version());
        o.add("modalities", GSON.toJsonTree(a.modalities()));
        o.add("labels", GSON.toJsonTree(a.labels()));
        o.add("probabilities", GSON.toJsonTree(a.probabilities()));
        o.add("skipped", GSON.toJsonTree(a.skipped()));
        o.addProperty("millis", Math.round(a.millis() * 10) / 10.0);
        return o;
    }

    /**
     * The JSON of a tag recommendation: {@code {"pipeline", "version", "modalities", "tags": [{"tag", "score"}],
     * "millis"}}.
     */
    public static JsonObject tags(TagAnswer a) {
        JsonObject o = new JsonObject();
        o.addProperty("pipeline", a.pipeline());
        o.addProperty("version", a.version());
        o.add("modalities", GSON.toJsonTree(a.modalities()));
        JsonArray tags = new JsonArray();
        a.tags().forEach(t -> {
            JsonObject x = new JsonObject();
            x.addProperty("tag", t.tag());
            x.addProperty("score", Math.round(t.score() * 10000) / 10000.0);
            tags.add(x);
        });
        o.add("tags", tags);
        o.addProperty("millis", Math.round(a.millis() * 10) / 10.0);
        return o;
    }

    /** The JSON of one served pipeline: state, current version, versions, events and bindings. */
    public static JsonObject describe(ServedPipeline p) {
        JsonObject o = new JsonObject();
        o.addProperty("id", p.id());
        o.addProperty("state", p.state());
        VersionInfo v = p.current();
        if (v != null) {
            o.addProperty("version", "v" + v.number());
            o.add("modalities", GSON.toJsonTree(v.modalities()));
            o.add("testAccuracy", GSON.toJsonTree(v.testAccuracy()));
        }
        JsonArray versions = new JsonArray();
        p.versions().forEach(x -> versions.add(x.summary()));
        o.add("versions", versions);
        o.add("events", GSON.toJsonTree(p.events()));
        o.add("bindings", GSON.toJsonTree(p.bindings()));
        return o;
    }

}
