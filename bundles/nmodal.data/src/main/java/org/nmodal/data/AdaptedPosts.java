package org.nmodal.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;

/**
 * A metadata adapter applied to posts: each post's adapted input as the one input of a modality. A post without the
 * metadata misses the modality (normal, no line); an adapter that throws or gives the wrong kind of input fails that
 * post only, with one line naming the adapter and the post.
 */
public final class AdaptedPosts {
    private AdaptedPosts() {}

    /**
     * The posts with only their adapted input, under {@code modality}, in order (same ids, splits and labels).
     *
     * @param errors told one line per post the adapter failed on
     */
    public static List<Post> adapt(List<Post> posts, MetadataAdapter adapter, String modality, Consumer<String> errors) {
        List<Post> out = new ArrayList<>(posts.size());
        for (Post p : posts) {
            Optional<ModalityInput> in;
            try {
                in = adapter.adapt(p);
                if (in == null) {
                    throw new IllegalStateException("returned null instead of empty");
                }
                if (in.isPresent() && adapter.dimension() > 0 != in.get() instanceof FeatureVector) {
                    throw new IllegalStateException("gave " + in.get().describe() + " where it declares "
                            + (adapter.dimension() > 0 ? adapter.dimension() + "-d vectors" : "texts"));
                }
            } catch (RuntimeException e) {
                errors.accept("post " + p.id() + ": " + modality + ": adapter '" + adapter.name() + "' failed ("
                        + e.getMessage() + "); the post goes on without " + modality);
                in = Optional.empty();
            }
            out.add(new Post(p.id(), in.map(i -> Map.of(modality, i)).orElse(Map.of()), p.metadata(), p.labels(),
                    p.split()));
        }
        return out;
    }

    /** The vectors of an adapter that gives vectors, in post order (null where a post has none or a wrong width). */
    public static float[][] vectors(List<Post> adapted, String modality, int dimension, Consumer<String> errors) {
        float[][] out = new float[adapted.size()][];
        for (int i = 0; i < out.length; i++) {
            ModalityInput in = adapted.get(i).inputs().get(modality);
            if (in instanceof FeatureVector v) {
                if (v.values().length == dimension) {
                    out[i] = v.values().clone();
                } else {
                    errors.accept("post " + adapted.get(i).id() + ": " + modality + ": " + v.values().length
                            + " values where " + dimension + " were declared; the post goes on without " + modality);
                }
            }
        }
        return out;
    }
}
