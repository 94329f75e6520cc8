package org.nmodal.pipeline.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nmodal.api.InvalidInputException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Console commands for served pipelines (scope nmodal). */
@Component(service = ServingCommands.class, property = {"osgi.command.scope=nmodal",
        "osgi.command.function=serve", "osgi.command.function=unserve", "osgi.command.function=predict",
        "osgi.command.function=broaden", "osgi.command.function=provenance"})
public final class ServingCommands {
    private final Serving serving;
    private final PipelineRunner runner;

    /** Creates the commands. */
    @Activate
    public ServingCommands(@Reference Serving serving, @Reference PipelineRunner runner) {
        this.serving = serving;
        this.runner = runner;
    }

    /** Prints a model's provenance manifest. */
    @Descriptor("prints the provenance manifest of a pipeline's model: components with bundle versions and licences, "
            + "pipeline hash, data fingerprint, seed, metrics, times (the served version, else the newest stored "
            + "one, else the newest run's report)")
    public void provenance(@Descriptor("pipeline id, or a model version folder (work/trained/<id>/v<N>)") String pipeline)
            throws IOException {
        com.google.gson.JsonObject manifest = null;
        String source;
        Path asPath = path(pipeline);
        ServedPipeline served = serving.pipelines().stream().filter(p -> p.id().equals(pipeline)).findFirst()
                .orElse(null);
        Path model;
        if (Files.isRegularFile(asPath.resolve("model.json"))) {
            model = asPath;
        } else if (served != null) {
            model = runner.work().resolve("trained").resolve(pipeline).resolve("v" + served.current().number);
        } else {
            List<Path> stored = ModelVersion.stored(runner.work().resolve("trained").resolve(pipeline));
            model = stored.isEmpty() ? null : stored.get(stored.size() - 1);
        }
        if (model != null) {
            manifest = ModelVersion.withMetrics(com.google.gson.JsonParser.parseString(
                    Files.readString(model.resolve("model.json"), StandardCharsets.UTF_8)).getAsJsonObject());
            source = model.resolve("model.json").toString();
        } else {
            Path report = newestReport(pipeline);
            if (report == null) {
                throw new InvalidInputException("no model or run of pipeline '" + pipeline + "' in "
                        + runner.work() + " (serve or run it first)");
            }
            com.google.gson.JsonObject r = com.google.gson.JsonParser.parseString(Files.readString(report,
                    StandardCharsets.UTF_8)).getAsJsonObject();
            if (!r.has("provenance")) {
                throw new InvalidInputException(report + " has no provenance (written by an older nmodal)");
            }
            manifest = r.getAsJsonObject("provenance");
            source = report.toString();
        }
        System.out.println("provenance of " + pipeline + " (" + source + ")");
        System.out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(manifest));
    }

    private Path newestReport(String id) throws IOException {
        Path runs = runner.work().resolve("runs");
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (java.util.stream.Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> d.getFileName().toString().startsWith(id + "-")
                    && Files.isRegularFile(d.resolve("report.json")))
                    .max(java.util.Comparator.comparing(d -> d.getFileName().toString()))
                    .map(d -> d.resolve("report.json")).orElse(null);
        }
    }

    /** Latent space broadening. */
    @Descriptor("latent space broadening: the N posts of the pool the model is least sure about (for one class) plus "
            + "each one's K nearest lookalikes above a cosine threshold, as a JSONL list to label; with a labelled "
            + "pool, also how many of the class it finds versus uncertainty sampling alone for the same budget")
    public void broaden(
            @Descriptor("folder with posts.jsonl; its test and unlabelled posts form the pool (default: the "
                    + "pipeline's data)")
            @Parameter(names = {"-p", "--pool"}, absentValue = "") String pool,
            @Descriptor("number of uncertain seed posts")
            @Parameter(names = {"-n", "--seeds"}, absentValue = "20") int seeds,
            @Descriptor("lookalikes per seed")
            @Parameter(names = {"-k", "--k"}, absentValue = "5") int k,
            @Descriptor("lowest cosine similarity of a lookalike")
            @Parameter(names = {"-t", "--threshold"}, absentValue = "0.8") double threshold,
            @Descriptor("task (default: the model's first)")
            @Parameter(names = {"--task"}, absentValue = "") String task,
            @Descriptor("the class to find more of (default: the one the model predicts least often in the pool)")
            @Parameter(names = {"-c", "--class"}, absentValue = "") String positive,
            @Descriptor("output JSONL file (default: the work folder's broaden/<id>-<class>.jsonl)")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("served pipeline id, or a pipeline file (served first)") String pipeline) throws IOException {
        ServedPipeline p;
        if (pipeline.endsWith(".json")) {
            p = serving.serve(path(pipeline), null, System.out::println);
        } else {
            p = serving.pipeline(pipeline);
        }
        Path poolDir = pool.isEmpty() ? p.spec().dataPath() : path(pool);
        Path file = out.isEmpty() ? runner.work().resolve("broaden").resolve(p.id() + "-"
                + (positive.isEmpty() ? "rare" : positive) + ".jsonl") : path(out);
        Broadening.Result r = Broadening.run(p, runner, poolDir, task, positive, seeds, k, threshold, file,
                System.out::println);
        System.out.println(Broadening.summary(r));
    }

    /** Starts serving a pipeline. */
    @Descriptor("serves a pipeline: loads its stored model (or trains one), answers nmodal:predict and REST "
            + "POST /api/pipelines/{id}/predict, and binds optional modalities as their encoders appear")
    public void serve(
            @Descriptor("data folder, instead of the file's data.path")
            @Parameter(names = {"-d", "--data"}, absentValue = "") String data,
            @Descriptor("pipeline file (JSON)") String file) throws IOException {
        ServedPipeline p = serving.serve(path(file), data.isEmpty() ? null : path(data), line -> {
            System.out.println(line);
            System.out.flush();
        });
        System.out.println("serving " + p.id() + " " + p.current().summary());
        System.out.println("REST: POST " + serving.address() + "/api/pipelines/" + p.id() + "/predict");
        if (!p.spec().optional().isEmpty()) {
            System.out.println("optional modalities " + p.spec().optional().keySet()
                    + " are bound when their encoders appear (drop a feature into the load folder)");
        }
    }

    /** Stops serving a pipeline. */
    @Descriptor("stops serving a pipeline (its stored model versions stay on disk)")
    public void unserve(@Descriptor("pipeline id") String id) {
        if (!serving.unserve(id)) {
            throw new InvalidInputException("pipeline '" + id + "' is not served");
        }
        System.out.println(id + ": no longer served");
    }

    /** Answers one post. */
    @Descriptor("predicts one post with a served pipeline; prints the version, the modalities used and the "
            + "class probabilities as JSON")
    public void predict(@Descriptor("pipeline id") String id,
            @Descriptor("post: a JSON file, or the JSON itself (fields as in posts.jsonl)") String post)
            throws IOException {
        ServedPipeline p = serving.pipeline(id);
        String json = post.trim().startsWith("{") ? post : readPost(path(post));
        try {
            System.out.println(new GsonBuilder().setPrettyPrinting().create()
                    .toJson(PredictionEndpoint.predict(p, json.getBytes(StandardCharsets.UTF_8))));
        } catch (JsonParseException e) {
            throw new InvalidInputException(post + ": not a JSON post (" + e.getMessage() + ")");
        }
    }

    private static String readPost(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static Path path(String p) {
        return Path.of(p).toAbsolutePath().normalize();
    }
}
