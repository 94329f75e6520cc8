package org.nmodal.pipeline.internal;

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
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The pipelines' side of the web dashboard, as JSON (a {@code Supplier<String>} with {@code nmodal.dashboard=state},
 * so the web bundle needs no access to pipeline internals): the runner and its live training curve, the served
 * pipelines with their versions and graph, the pipeline files and whether each is valid here, the finished runs.
 */
@Component(service = Supplier.class, property = "nmodal.dashboard=state")
public final class DashboardState implements Supplier<String> {
    private static final int RUNS = 20;
    private final PipelineRunner runner;
    private final Serving serving;
    private final String pipelinesDir;
    /**
     * The event stream asks for the state twice a second: a pipeline file is validated again only when it or the
     * running parts changed, a report is read again only when it changed.
     */
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long stamp, JsonObject value) {}

    /** Creates the state source. */
    @Activate
    public DashboardState(@Reference PipelineRunner runner, @Reference Serving serving, BundleContext context) {
        this.runner = runner;
        this.serving = serving;
        this.pipelinesDir = context.getProperty("nmodal.pipelines");
    }

    @Override
    public String get() {
        JsonObject o = new JsonObject();
        o.addProperty("runner", runner.status());
        PipelineRunner.Live live = runner.live();
        if (live != null) {
            JsonObject job = new JsonObject();
            job.addProperty("pipeline", live.pipeline());
            job.addProperty("maxEpochs", live.maxEpochs());
            JsonArray epochs = new JsonArray();
            for (HeadTrainer.Epoch e : live.epochs()) {
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
        for (ServedPipeline p : serving.pipelines()) {
            JsonObject j = PredictionEndpoint.describe(p);
            j.add("graph", graph(p.spec(), p.current() == null ? p.spec().modalities() : p.current().modalities()));
            served.add(j);
        }
        o.add("served", served);
        o.add("pipelines", pipelineFiles());
        o.add("runs", runs());
        return o.toString();
    }

    /** Modalities -> encoders -> heads -> fusion -> classifiers, for drawing. */
    private static JsonObject graph(PipelineSpec spec, List<String> modalities) {
        JsonObject g = new JsonObject();
        JsonArray ms = new JsonArray();
        for (String m : modalities) {
            JsonObject n = new JsonObject();
            n.addProperty("modality", m);
            n.addProperty("encoder", spec.encoders().getOrDefault(m, spec.optional().getOrDefault(m, "")));
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

    private JsonArray pipelineFiles() {
        JsonArray out = new JsonArray();
        if (pipelinesDir == null || !Files.isDirectory(Path.of(pipelinesDir))) {
            return out;
        }
        try (Stream<Path> s = Files.list(Path.of(pipelinesDir))) {
            for (Path f : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                out.add(cached(f, f.toFile().lastModified() * 31 + runner.registry().generation(), () -> {
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
    private JsonArray runs() {
        JsonArray out = new JsonArray();
        Path dir = runner.work().resolve("runs");
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
