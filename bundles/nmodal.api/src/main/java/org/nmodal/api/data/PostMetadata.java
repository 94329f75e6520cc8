package org.nmodal.api.data;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Metadata that travels with a post. Any field may be empty; {@code extra} holds fields nmodal does not name.
 *
 * @param hashtags hashtags without the leading {@code #}
 * @param caption an image or video caption
 * @param tags object or scene tags
 * @param timestamp when the post was made, or {@code null}
 * @param account the posting account, or {@code null}
 * @param extra any other string fields
 */
public record PostMetadata(List<String> hashtags, String caption, List<String> tags, Instant timestamp,
        String account, Map<String, String> extra) {
    /** Metadata with nothing in it. */
    public static final PostMetadata EMPTY = new PostMetadata(List.of(), null, List.of(), null, null, Map.of());

    /** Copies the collections so a record can be shared between threads. */
    public PostMetadata {
        hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
        tags = tags == null ? List.of() : List.copyOf(tags);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
