package org.nmodal.metadata.internal;

import java.util.Optional;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;
import org.osgi.service.component.annotations.Component;

/** {@code caption}: the post's image or video caption ({@code meta.caption}) as a text, whitespace collapsed. */
@Component(property = {NModal.KIND + "=" + NModal.KIND_ADAPTER, NModal.NAME + "=caption",
        NModal.MODALITY + "=meta.caption", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=The image or video caption as a text"})
public final class CaptionAdapter implements MetadataAdapter {
    @Override
    public String name() {
        return "caption";
    }

    @Override
    public String modality() {
        return "meta.caption";
    }

    @Override
    public Optional<ModalityInput> adapt(Post post) {
        return Texts.text(post.metadata().caption());
    }
}
