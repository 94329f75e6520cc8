package org.nmodal.api.batch;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Embeddings of one batch of posts, one {@code B x D} array per modality, and a {@code B x M} presence
 * mask (1 where post b has modality m, 0 where it is missing; rows of missing modalities hold zeros).
 *
 * @param modalities modality keys, in the column order of {@code presence}
 * @param embeddings embeddings by modality key
 * @param presence float mask, {@code B x modalities.size()}
 */
public record ModalityBatch(List<String> modalities, Map<String, NDArray> embeddings, NDArray presence) {
    /** Checks that every modality has an embedding array. */
    public ModalityBatch {
        modalities = List.copyOf(modalities);
        embeddings = Map.copyOf(embeddings);
        Objects.requireNonNull(presence, "presence");
        for (String m : modalities) {
            if (!embeddings.containsKey(m)) {
                throw new IllegalArgumentException("no embeddings for modality '" + m + "'");
            }
        }
    }

    /** Number of posts in the batch. */
    public long size() {
        return presence.getShape().get(0);
    }

    /** Embeddings of one modality. */
    public NDArray embeddings(String modality) {
        NDArray e = embeddings.get(modality);
        if (e == null) {
            throw new IllegalArgumentException("unknown modality '" + modality + "', batch has " + modalities);
        }
        return e;
    }

    /** Presence column ({@code B}) of one modality. */
    public NDArray presence(String modality) {
        int i = modalities.indexOf(modality);
        if (i < 0) {
            throw new IllegalArgumentException("unknown modality '" + modality + "', batch has " + modalities);
        }
        return presence.get(":, " + i);
    }
}
