package org.nmodal.api.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.nmodal.api.data.Post;
import org.nmodal.api.pipeline.PipelineSpec;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The pipelines being served. A served pipeline answers posts with its current model version; versions change
 * atomically when an optional modality's encoder comes or goes, and a call finishes on the version it started with.
 * Unknown ids and bad posts are {@link org.nmodal.api.InvalidInputException}s (one line, no server path);
 * {@link IllegalStateException} means no version is ready yet or the service is shutting down.
 */
@ProviderType
public interface ServingService {
    /**
     * Serves a pipeline file (replacing a served pipeline of the same id): loads its newest stored version for this
     * configuration or trains one.
     *
     * @param file the pipeline file
     * @param data overrides the file's data path, or null
     * @param log told progress lines
     */
    ServedPipeline serve(Path file, Path data, Consumer<String> log) throws IOException;

    /** Stops serving a pipeline; false when it was not served. Its stored versions stay. */
    boolean unserve(String id);

    /** The served pipelines, by id. */
    List<ServedPipeline> pipelines();

    /** One served pipeline; an {@link org.nmodal.api.InvalidInputException} when it is not served. */
    ServedPipeline pipeline(String id);

    /**
     * Answers one post given as JSON (fields as in posts.jsonl; media as paths inside the pipeline's data folder or
     * uploaded inline as {@code {"base64": "...", "name": "clip.mp4"}}).
     */
    Answer predict(String id, String postJson) throws IOException;

    /** Answers one post already read. */
    Answer predict(String id, Post post);

    /**
     * Encodes and scores many posts with the current version of a served pipeline for one task: the fused embedding
     * and class probabilities of each (a post none of whose inputs could be encoded is scored on no modality).
     */
    Scores score(String id, List<Post> posts, String task);

    /**
     * The provenance manifest of a pipeline's model: the served version, else the newest stored one, else the
     * newest run's report; or of a model version folder given as a path.
     */
    Provenance provenance(String pipelineOrFolder) throws IOException;

    /**
     * Opens a stored model version ({@code trained/<id>/v<N>} of a work folder) for batch scoring without serving
     * its pipeline: no training data is read and nothing is trained. A folder that is not a readable model version,
     * or a version of another pipeline id or fusion than {@code spec}'s, is an
     * {@link org.nmodal.api.InvalidInputException} (one line).
     *
     * @param version the version's folder
     * @param spec the pipeline file the version was trained from (fusion settings, encoder time limit per batch)
     * @since 1.1
     */
    StoredModel open(Path version, PipelineSpec spec) throws IOException;
}
