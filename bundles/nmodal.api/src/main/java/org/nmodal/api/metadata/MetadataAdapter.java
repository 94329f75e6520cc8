package org.nmodal.api.metadata;

import java.util.Optional;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;

/**
 * Turns a post's metadata into the input of one modality, for example hashtags into a text
 * ({@code meta.hashtags}) or the posting time into a feature vector ({@code meta.time}).
 * Registered with {@code nmodal.kind=adapter}, {@code nmodal.name} and {@code nmodal.modality}.
 */
public interface MetadataAdapter {
    /** Name used in pipeline files. */
    String name();

    /** The modality key this adapter produces. */
    String modality();

    /** The input for this post, or empty when the post has no such metadata (the modality is then missing). */
    Optional<ModalityInput> adapt(Post post);
}
