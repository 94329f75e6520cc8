package org.nmodal.api.serving;

import java.util.List;
import org.nmodal.api.pipeline.PipelineSpec;

/**
 * A served pipeline as seen from outside, at one moment.
 *
 * @param spec its pipeline file
 * @param state one line ("serving", "binding audio: extracting features 64/2000", ...)
 * @param current the version answering now, or null while none is ready
 * @param versions every version built or loaded, oldest first
 * @param events recent events, oldest first
 * @param bindings the modalities bound while serving, oldest first
 */
public record ServedPipeline(PipelineSpec spec, String state, VersionInfo current, List<VersionInfo> versions,
        List<String> events, List<Binding> bindings) {
    /** Copies the lists. */
    public ServedPipeline {
        versions = List.copyOf(versions);
        events = List.copyOf(events);
        bindings = List.copyOf(bindings);
    }

    /** The pipeline's id. */
    public String id() {
        return spec.id();
    }
}
