package org.nmodal.metadata.internal;

import java.util.List;
import java.util.Optional;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code hashtags}: a post's hashtags as one text, {@code "#a #b #c"} (leading {@code #}s, blanks and repeats
 * dropped, order kept). A text encoder then embeds it; {@code hashtag-words} is the same list spelled as words.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_ADAPTER, NModal.NAME + "=hashtags",
        NModal.MODALITY + "=meta.hashtags", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Hashtags as a text: #a #b #c"})
public final class HashtagsAdapter implements MetadataAdapter {
    @Override
    public String name() {
        return "hashtags";
    }

    @Override
    public String modality() {
        return "meta.hashtags";
    }

    @Override
    public Optional<ModalityInput> adapt(Post post) {
        List<String> tags = Texts.entries(post.metadata().hashtags(), "#");
        return Texts.text(String.join(" ", tags.stream().map(t -> "#" + t.replace(' ', '_')).toList()));
    }
}
