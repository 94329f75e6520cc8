package org.nmodal.metadata.internal;

import java.util.List;
import java.util.Optional;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code tags-prompt}: SentiFormer's prompt from the object and scene tags, {@code "the scene of the image is
 * {scene}, and it contains: {o1}, {o2}, ..."}. The scene is the metadata field {@code scene} when the post has one
 * (then every tag is an object), else the first tag (then the others are the objects). At most
 * {@value #MAX_OBJECTS} objects, each once; with a scene and no object the prompt is {@code "the scene of the image
 * is {scene}."}. No tag and no scene: no prompt.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_ADAPTER, NModal.NAME + "=tags-prompt",
        NModal.MODALITY + "=meta.tags", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Scene and object tags as SentiFormer's prompt"})
public final class TagsPromptAdapter implements MetadataAdapter {
    static final int MAX_OBJECTS = 16;

    @Override
    public String name() {
        return "tags-prompt";
    }

    @Override
    public String modality() {
        return "meta.tags";
    }

    @Override
    public Optional<ModalityInput> adapt(Post post) {
        List<String> tags = Texts.entries(post.metadata().tags(), "#");
        String scene = Texts.clean(post.metadata().extra().get("scene"));
        List<String> objects;
        if (scene != null && !scene.isEmpty()) {
            objects = tags.stream().filter(t -> !t.equalsIgnoreCase(scene)).toList();
        } else if (!tags.isEmpty()) {
            objects = tags.subList(1, tags.size());
            return prompt(tags.get(0), objects);
        } else {
            return Optional.empty();
        }
        return prompt(scene, objects);
    }

    private static Optional<ModalityInput> prompt(String scene, List<String> objects) {
        List<String> o = objects.subList(0, Math.min(MAX_OBJECTS, objects.size()));
        return Texts.text("the scene of the image is " + scene
                + (o.isEmpty() ? "." : ", and it contains: " + String.join(", ", o)));
    }
}
