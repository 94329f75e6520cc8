package org.nmodal.api.serving;

import java.util.List;
import java.util.Map;

/**
 * The answer to one post.
 *
 * @param pipeline the served pipeline
 * @param version the version that answered ({@code v<N>})
 * @param modalities the modalities used
 * @param labels the predicted class per task
 * @param probabilities class probabilities per task
 * @param skipped inputs that could not be used, one line each
 * @param millis time taken
 */
public record Answer(String pipeline, String version, List<String> modalities, Map<String, String> labels,
        Map<String, Map<String, Double>> probabilities, List<String> skipped, double millis) {
    /** Copies the lists. */
    public Answer {
        modalities = List.copyOf(modalities);
        skipped = List.copyOf(skipped);
    }
}
