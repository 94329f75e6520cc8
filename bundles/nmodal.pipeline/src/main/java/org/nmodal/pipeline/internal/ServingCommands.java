package org.nmodal.pipeline.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nmodal.api.InvalidInputException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Console commands for served pipelines (scope nmodal). */
@Component(service = ServingCommands.class, property = {"osgi.command.scope=nmodal",
        "osgi.command.function=serve", "osgi.command.function=unserve", "osgi.command.function=predict"})
public final class ServingCommands {
    private final Serving serving;

    /** Creates the commands. */
    @Activate
    public ServingCommands(@Reference Serving serving) {
        this.serving = serving;
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
