package org.nmodal.api.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs pipeline files: checks them against the running parts, extracts (cached) features, trains projection heads,
 * evaluates the modality subsets {@link PipelineSpec#subsets()} chooses and writes the report. Problems in a file or
 * its data are {@link org.nmodal.api.InvalidInputException}s whose message is one line naming the file and field.
 */
@ProviderType
public interface PipelineService {
    /**
     * Reads and checks a pipeline file against the running parts.
     *
     * @param file the pipeline file
     * @param data overrides the file's data path, or null
     */
    PipelineSpec validate(Path file, Path data);

    /**
     * Runs a pipeline to the end.
     *
     * @param file the pipeline file
     * @param data overrides the file's data path, or null
     * @param out the run's folder, or null for a new one under {@link WorkFolder#runs()}
     * @param listener told progress lines and epochs
     */
    RunResult run(Path file, Path data, Path out, RunListener listener) throws IOException;

    /**
     * Continues a stopped run from its last checkpoint, with the result a run never stopped would have given; its
     * run.log is appended to. Nothing to resume there is an {@link org.nmodal.api.InvalidInputException}.
     *
     * @since 1.2
     */
    RunResult resume(Path folder, RunListener listener) throws IOException;

    /** What the runner is doing now, or did last. */
    RunStatus status();

    /** The work folder and its layout. */
    WorkFolder work();
}
