package org.nmodal.console.internal;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.serving.BroadeningRequest;
import org.nmodal.api.serving.BroadeningResult;
import org.nmodal.api.serving.BroadeningService;
import org.nmodal.api.serving.Provenance;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Console commands for served pipelines (scope nmodal). */
@Component(service = ServingCommands.class, property = {"osgi.command.scope=nmodal",
        "osgi.command.function=serve", "osgi.command.function=unserve", "osgi.command.function=predict",
        "osgi.command.function=broaden", "osgi.command.function=provenance"})
public final class ServingCommands {
    private final ServingService serving;
    private final BroadeningService broadening;
    private final BundleContext context;

    /** Creates the commands. */
    @Activate
    public ServingCommands(@Reference ServingService serving, @Reference BroadeningService broadening,
            BundleContext context) {
        this.serving = serving;
        this.broadening = broadening;
        this.context = context;
    }

    /** Prints a model's provenance manifest. */
    @Descriptor("prints the provenance manifest of a pipeline's model: components with bundle versions and licences, "
            + "pipeline hash, data fingerprint, seed, metrics, times (the served version, else the newest stored "
            + "one, else the newest run's report)")
    public void provenance(@Descriptor("pipeline id, or a model version folder (work/trained/<id>/v<N>)") String pipeline)
            throws IOException {
        Provenance p = serving.provenance(pipeline);
        System.out.println("provenance of " + pipeline + " (" + p.source() + ")");
        System.out.println(p.json());
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
        String id = pipeline.endsWith(".json") ? serving.serve(path(pipeline), null, System.out::println).id()
                : pipeline;
        BroadeningResult r = broadening.broaden(id, new BroadeningRequest(pool.isEmpty() ? null : path(pool), task,
                positive, seeds, k, threshold, out.isEmpty() ? null : path(out)));
        System.out.println(String.format(Locale.ROOT,
                "broadening: %d candidates from %d pool posts (task %s, class %s) written to %s", r.candidates().size(),
                r.poolSize(), r.task(), r.positive(), r.file()));
        if (r.labelled()) {
            System.out.println(String.format(Locale.ROOT, "simulated labelling, budget %d: broadening finds %d %s "
                    + "posts, uncertainty sampling alone %d (%d in the pool)", r.candidates().size(),
                    r.positivesFound(), r.positive(), r.positivesByUncertainty(), r.positivesInPool()));
        }
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
        String address = Http.address(context);
        System.out.println("REST: POST " + (address == null ? "(HTTP is off in this mode)" : address) + "/api/pipelines/"
                + p.id() + "/predict");
        if (!p.spec().optionalModalities().isEmpty()) {
            System.out.println("optional modalities " + p.spec().optionalModalities().keySet()
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
        String json = post.trim().startsWith("{") ? post : readPost(path(post));
        System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(serving.predict(id, json)));
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
