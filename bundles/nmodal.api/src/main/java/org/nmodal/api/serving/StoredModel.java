package org.nmodal.api.serving;

import java.util.List;
import java.util.Map;
import org.nmodal.api.data.Post;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stored model version opened for batch scoring without serving its pipeline ({@link ServingService#open}): the
 * encoders, projection heads, fusion and classifier that answer {@link ServingService#predict} with this version
 * score many posts at once, with the same numbers. Thread-safe.
 */
@ProviderType
public interface StoredModel {
    /** The id of the pipeline the version was trained for. */
    String pipeline();

    /** The version: number, modalities, test accuracy per task, origin. */
    VersionInfo info();

    /** Each task's classes, in the order of the probabilities in an {@link Answer}. */
    Map<String, List<String>> classes();

    /**
     * Answers posts in one batch, in their order. A post gets the {@link Answer} that
     * {@link ServingService#predict(String, Post)} gives with this version (inputs that could not be used are named
     * in {@link Answer#skipped()}); a post none of whose inputs could be used gets an error line instead. Nothing a
     * post or an encoder does makes this throw.
     */
    List<PostAnswer> predict(List<Post> posts);
}
