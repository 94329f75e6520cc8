package org.nmodal.serving.internal;

import ai.djl.engine.Engine;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.pipeline.WorkFolder;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.Provenance;
import org.nmodal.api.serving.Scores;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.api.serving.StoredModel;
import org.nmodal.assembly.EncoderListener;
import org.nmodal.features.Features;
import org.nmodal.assembly.Parts;
import org.nmodal.data.RequestPost;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The pipelines being served. Changing its configuration ({@code nmodal.serving}) while pipelines are served applies
 * the new limits to the next requests; nothing served is dropped. The HTTP side (host, port, token) is the HTTP
 * bundle's, which reads the same PID.
 */
@Component(service = ServingService.class, configurationPid = "nmodal.serving")
public final class Serving implements ServingService, EncoderListener {
    /**
     * The serving side of PID {@code nmodal.serving} (described, with the HTTP settings, by the HTTP bundle's
     * metatype).
     */
    public @interface Config {
        /** Milliseconds an encoder may take for one request's input; past it the input is skipped. */
        long encodeTimeoutMs() default 30_000;
    }

    private final PipelineService pipelines;
    private final LivePipeline.Runtime runtime;
    private final Map<String, LivePipeline> served = new ConcurrentHashMap<>();
    private volatile long encodeTimeoutMs;
    private volatile boolean closing;

    /** Creates the serving service; nothing is served until asked. */
    @Activate
    public Serving(@Reference PipelineService pipelines, @Reference Parts parts, @Reference Features features,
            @Reference(target = "(nmodal.name=PyTorch)") Engine pytorch, Config config) {
        this.pipelines = pipelines;
        this.runtime = new LivePipeline.Runtime(parts, features, pytorch, pipelines.work());
        this.encodeTimeoutMs = config.encodeTimeoutMs();
        parts.addListener(this);
        removeLeftovers(pipelines.work().root().resolve("trained"));
    }

    /** A version being saved when the runtime was killed left its temporary folder: nothing will finish it. */
    private static void removeLeftovers(Path trained) {
        System.Logger log = System.getLogger(Serving.class.getName());
        try {
            List<Path> removed = ModelVersion.removeLeftovers(trained);
            if (!removed.isEmpty()) {
                log.log(System.Logger.Level.WARNING, "removed " + removed.size() + " unfinished model version folder(s) "
                        + "left by a stopped runtime: " + removed);
            }
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "could not clean " + trained + " of unfinished versions: " + e);
        }
    }

    /** New limits apply to the next requests; the served pipelines stay. */
    @Modified
    void modified(Config config) {
        encodeTimeoutMs = config.encodeTimeoutMs();
        served.values().forEach(p -> p.encodeTimeout(encodeTimeoutMs));
    }

    @Deactivate
    void deactivate() {
        closing = true;
        runtime.parts().removeListener(this);
        served.values().forEach(LivePipeline::close);
        served.clear();
    }

    @Override
    public ServedPipeline serve(Path file, Path data, Consumer<String> log) throws IOException {
        PipelineSpec spec = pipelines.validate(file, data);
        LivePipeline p = LivePipeline.start(spec, runtime, encodeTimeoutMs, log);
        LivePipeline old = served.put(spec.id(), p);
        if (old != null) {
            old.close();
        }
        return p.info();
    }

    @Override
    public boolean unserve(String id) {
        LivePipeline p = served.remove(id);
        if (p != null) {
            p.close();
        }
        return p != null;
    }

    @Override
    public List<ServedPipeline> pipelines() {
        return new TreeMap<>(served).values().stream().map(LivePipeline::info).toList();
    }

    @Override
    public ServedPipeline pipeline(String id) {
        return live(id).info();
    }

    private LivePipeline live(String id) {
        if (closing) {
            throw new IllegalStateException("shutting down");
        }
        LivePipeline p = served.get(id);
        if (p == null) {
            throw new InvalidInputException("pipeline '" + id + "' is not served (served: "
                    + (served.isEmpty() ? "none; start one with nmodal:serve <pipeline.json>"
                            : String.join(", ", new TreeMap<>(served).keySet())) + ")");
        }
        return p;
    }

    @Override
    public Answer predict(String id, String postJson) throws IOException {
        LivePipeline p = live(id);
        try (RequestPost.Read read = RequestPost.read(postJson, p.spec().dataPath())) {
            return p.predict(read.post(), read.problems());
        }
    }

    @Override
    public Answer predict(String id, Post post) {
        return live(id).predict(post, List.of());
    }

    @Override
    public Scores score(String id, List<Post> posts, String task) {
        try {
            return live(id).score(posts, task, line -> { });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Provenance provenance(String pipelineOrFolder) throws IOException {
        WorkFolder work = pipelines.work();
        Path asPath = Path.of(pipelineOrFolder).toAbsolutePath().normalize();
        Path model;
        if (Files.isRegularFile(asPath.resolve("model.json"))) {
            model = asPath;
        } else if (served.containsKey(pipelineOrFolder) && served.get(pipelineOrFolder).current() != null) {
            model = work.version(pipelineOrFolder, served.get(pipelineOrFolder).current().number);
        } else {
            List<Path> stored = ModelVersion.stored(work.trained(pipelineOrFolder));
            model = stored.isEmpty() ? null : stored.get(stored.size() - 1);
        }
        JsonObject manifest;
        Path source;
        if (model != null) {
            source = model.resolve("model.json");
            manifest = ModelVersion.withMetrics(JsonParser.parseString(Files.readString(source,
                    StandardCharsets.UTF_8)).getAsJsonObject());
        } else {
            source = newestReport(work, pipelineOrFolder);
            if (source == null) {
                throw new InvalidInputException("no model or run of pipeline '" + pipelineOrFolder + "' in "
                        + work.root() + " (serve or run it first)");
            }
            JsonObject r = JsonParser.parseString(Files.readString(source, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!r.has("provenance")) {
                throw new InvalidInputException(source + " has no provenance (written by an older nmodal)");
            }
            manifest = r.getAsJsonObject("provenance");
        }
        return new Provenance(source.toString(),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(manifest));
    }

    @Override
    public StoredModel open(Path version, PipelineSpec spec) {
        if (closing) {
            throw new IllegalStateException("shutting down");
        }
        return StoredScoring.open(version, spec, runtime);
    }

    private static Path newestReport(WorkFolder work, String id) throws IOException {
        if (!Files.isDirectory(work.runs())) {
            return null;
        }
        try (Stream<Path> s = Files.list(work.runs())) {
            return s.filter(d -> d.getFileName().toString().startsWith(id + "-")
                    && Files.isRegularFile(d.resolve("report.json")))
                    .max(Comparator.comparing(d -> d.getFileName().toString()))
                    .map(d -> d.resolve("report.json")).orElse(null);
        }
    }

    @Override
    public void encoderAdded(String modality, String name) {
        new ArrayList<>(served.values()).forEach(p -> p.encoderAdded(modality, name));
    }

    @Override
    public void encoderRemoving(String modality, String name) {
        new ArrayList<>(served.values()).forEach(p -> p.encoderRemoving(modality, name));
    }
}
