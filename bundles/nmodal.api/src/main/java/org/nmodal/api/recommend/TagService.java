package org.nmodal.api.recommend;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Hashtag recommendation with a served pipeline that has a {@code recommend} block: its training posts' tags are
 * embedded by Tag2Vec, the served version's post embeddings are mapped into that space, and a post's nearest tags
 * are its recommendations. Unknown pipelines, pipelines without the block, unknown tags and posts with no usable
 * input are {@link org.nmodal.api.InvalidInputException}s (one line).
 */
@ProviderType
public interface TagService {
    /**
     * The {@code k} best tags for one post given as JSON (fields as in posts.jsonl; media paths inside the
     * pipeline's data folder).
     */
    TagAnswer recommend(String pipeline, String postJson, int k) throws IOException;

    /** The {@code k} tags nearest to a tag (written as in the posts; it is normalised first). */
    List<TagScore> similar(String pipeline, String tag, int k);
}
