package org.nmodal.api.metadata;

import java.util.Optional;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;

/**
 * Turns a post's metadata into the input of one modality, for example hashtags into a text
 * ({@code meta.hashtags}) or the posting time into a feature vector ({@code meta.time}).
 * Registered with {@code nmodal.kind=adapter}, {@code nmodal.name} and {@code nmodal.modality}.
 *
 * <p>An adapter produces either texts ({@link org.nmodal.api.data.TextInput}), which a pipeline sends through a
 * text encoder it names, or vectors of a fixed width ({@link org.nmodal.api.data.FeatureVector}, {@link #dimension()}
 * greater than 0), which are features as they are. A post without the metadata, or with metadata that cannot be
 * read, gives an empty result: the post then misses that modality, which is normal and never an error.
 */
public interface MetadataAdapter {
    /** Name used in pipeline files. */
    String name();

    /** The modality key this adapter produces. */
    String modality();

    /** The input for this post, or empty when the post has no such metadata (the modality is then missing). */
    Optional<ModalityInput> adapt(Post post);

    /**
     * Width of the {@link org.nmodal.api.data.FeatureVector}s this adapter produces, or 0 when it produces texts for
     * a text encoder.
     *
     * @since 1.1
     */
    default int dimension() {
        return 0;
    }
}
