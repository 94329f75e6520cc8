package org.nmodal.web.internal;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.nmodal.api.ComponentInfo;
import org.nmodal.api.Components;
import org.nmodal.api.pipeline.EpochStat;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.pipeline.RunStatus;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.rest.ServingJson;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * What the dashboard shows, as JSON, from the typed services: every component with its state, the runner and its
 * live training curve, the served pipelines with their versions and graph, the pipeline files and whether each is
 * valid here, the finished runs. The pipeline and serving services are optional: without them the page shows the
 * components alone.
 */
@Component(service = DashboardState.class)
public final class DashboardState {
    private static final int RUNS = 20;
    private static final Gson GSON = new Gson();
    private final String pipelinesDir;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Components components;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PipelineService runner;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServingService serving;
    /**
     * The event stream asks for the state twice a second: a pipeline file is validated again only when it or the
     * running components changed, a report is read again only when it changed.
     */
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long stamp, JsonObject value) {}

    /** Creates the state source. */
    @Activate
    public DashboardState(BundleContext context) {
        this.pipelinesDir = context.getProperty("nmodal.pipelines");
    }

    /** The whole state: time, components and pipelines. */
    public String json() {
        JsonObject o = new JsonObject();
        o.addProperty("time", System.currentTimeMillis());
        Components c = components;
        JsonArray list = new JsonArray();
        List<ComponentInfo> rows = c == null ? List.of() : c.list();
        rows.forEach(r -> list.add(GSON.toJsonTree(r)));
        for (int i = 0; i < rows.size(); i++) {
            list.get(i).getAsJsonObject().addProperty("state", rows.get(i).failure() == null ? "ok" : "failed");
        }
        o.add("components", list);
        JsonArray problems = new JsonArray();
        (c == null ? List.<String>of() : c.problems()).forEach(problems::add);
        o.add("problems", problems);
        o.add("pipelines", pipelines(rows.hashCode()));
        return o.toString();
    }

    /** Where finished runs are, or null without a pipeline service. */
    Path runsFolder() {
        PipelineService r = runner;
        return r == null ? null : r.work().runs();
    }

    private JsonObject pipelines(long partsStamp) {
        JsonObject o = new JsonObject();
        PipelineService r = runner;
        if (r == null) {
            return o;
        }
        RunStatus status = r.status();
        o.addProperty("runner", status.state());
        if (status.pipeline() != null) {
            JsonObject job = new JsonObject();
            job.addProperty("pipeline", status.pipeline());
            job.addProperty("maxEpochs", status.maxEpochs());
            JsonArray epochs = new JsonArray();
            for (EpochStat e : status.epochs()) {
                JsonObject p = new JsonObject();
                p.addProperty("epoch", e.epoch());
                p.addProperty("train", e.trainLoss());
                p.addProperty("dev", e.devLoss());
                epochs.add(p);
            }
            job.add("epochs", epochs);
            o.add("job", job);
        }
        JsonArray served = new JsonArray();
        ServingService s = serving;
        for (ServedPipeline p : s == null ? List.<ServedPipeline>of() : s.pipelines()) {
            JsonObject j = ServingJson.describe(p);
            j.add("graph", graph(p.spec(), p.current() == null ? p.spec().modalities() : p.current().modalities()));
            served.add(j);
        }
        o.add("served", served);
        o.add("pipelines", pipelineFiles(r, partsStamp));
        o.add("runs", runs(r.work().runs()));
        return o;
    }

    /** Modalities -> encoders -> heads -> fusion -> classifiers, for drawing. */
    private static JsonObject graph(PipelineSpec spec, List<String> modalities) {
        JsonObject g = new JsonObject();
        JsonArray ms = new JsonArray();
        for (String m : modalities) {
            JsonObject n = new JsonObject();
            n.addProperty("modality", m);
            n.addProperty("encoder", spec.encoders().getOrDefault(m, spec.optionalModalities().getOrDefault(m, "")));
            ms.add(n);
        }
        g.add("modalities", ms);
        g.addProperty("loss", spec.loss());
        g.addProperty("fusion", spec.fusion());
        JsonArray cs = new JsonArray();
        spec.classifiers().forEach(cs::add);
        g.add("classifiers", cs);
        JsonArray ts = new JsonArray();
        spec.tasks().forEach(ts::add);
        g.add("tasks", ts);
        return g;
    }

    private JsonArray pipelineFiles(PipelineService runner, long partsStamp) {
        JsonArray out = new JsonArray();
        if (pipelinesDir == null || !Files.isDirectory(Path.of(pipelinesDir))) {
            return out;
        }
        try (Stream<Path> s = Files.list(Path.of(pipelinesDir))) {
            for (Path f : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                out.add(cached(f, f.toFile().lastModified() * 31 + partsStamp, () -> {
                    JsonObject j = new JsonObject();
                    j.addProperty("file", f.getFileName().toString());
                    try {
                        PipelineSpec spec = runner.validate(f, null);
                        j.addProperty("id", spec.id());
                        j.addProperty("valid", true);
                        j.add("graph", graph(spec, spec.modalities()));
                    } catch (RuntimeException e) {
                        j.addProperty("valid", false);
                        j.addProperty("why", e.getMessage());
                    }
                    return j;
                }));
            }
        } catch (IOException e) {
            // an unreadable folder shows as no pipelines
        }
        return out;
    }

    private JsonObject cached(Path key, long stamp, Supplier<JsonObject> compute) {
        Cached c = cache.get(key);
        if (c == null || c.stamp() != stamp) {
            c = new Cached(stamp, compute.get());
            cache.put(key, c);
        }
        return c.value();
    }

    /** The newest finished runs: id, folder, time and the results table of report.json. */
    private JsonArray runs(Path dir) {
        JsonArray out = new JsonArray();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> reports = s.map(d -> d.resolve("report.json")).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path r) -> r.toFile().lastModified()).reversed()).limit(RUNS).toList();
            for (Path r : reports) {
                JsonObject j = cached(r, r.toFile().lastModified(), () -> {
                    try {
                        JsonObject report = JsonParser.parseString(Files.readString(r, StandardCharsets.UTF_8))
                                .getAsJsonObject();
                        JsonObject summary = new JsonObject();
                        summary.addProperty("folder", r.getParent().getFileName().toString());
                        summary.add("pipeline", report.get("pipeline"));
                        summary.add("created", report.get("created"));
                        summary.add("seconds", report.get("seconds"));
                        summary.add("results", report.get("results"));
                        return summary;
                    } catch (IOException | RuntimeException e) {
                        return null; // a damaged report is skipped (report.json is written atomically)
                    }
                });
                if (j != null) {
                    out.add(j);
                }
            }
        } catch (IOException e) {
            // no runs to show
        }
        return out;
    }
}
