package org.nmodal.api.recommend;

import java.util.List;

/**
 * The tags recommended for one post.
 *
 * @param pipeline the served pipeline's id
 * @param version the model version whose embedding of the post was mapped
 * @param modalities the post's modalities that were used
 * @param tags the top tags, best first
 * @param millis time to answer
 */
public record TagAnswer(String pipeline, String version, List<String> modalities, List<TagScore> tags,
        double millis) {
    /** Copies the lists. */
    public TagAnswer {
        modalities = List.copyOf(modalities);
        tags = List.copyOf(tags);
    }
}
