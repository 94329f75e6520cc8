package org.nmodal.api.serving;

import java.util.List;
import java.util.Map;

/**
 * Scores of many posts for one task.
 *
 * @param version the version that scored them
 * @param classes the task's classes, in the order of the probabilities
 * @param fused each post's fused embedding
 * @param probabilities each post's class probabilities
 * @param embeddings by modality, each post's projected embedding in the shared space (a null row where the post
 *     lacks that modality); since 1.2
 */
public record Scores(String version, List<String> classes, float[][] fused, double[][] probabilities,
        Map<String, float[][]> embeddings) {
    /** Copies the map. */
    public Scores {
        embeddings = Map.copyOf(embeddings);
    }

    /** Without the embeddings per modality (the 1.1 form). */
    public Scores(String version, List<String> classes, float[][] fused, double[][] probabilities) {
        this(version, classes, fused, probabilities, Map.of());
    }
}
