package org.nmodal.api.fusion;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;

/**
 * Fuses the embeddings of the modalities present into one vector per post; registered with
 * {@code nmodal.kind=fusion} and {@code nmodal.name}. A factory, since fusions may be trainable.
 */
public interface FusionStrategy {
    /** Name used in pipeline files. */
    String name();

    /**
     * Creates a fusion for one run.
     *
     * @param modalities modality keys in batch order
     * @param dimension embedding dimension of every modality (the shared latent space)
     * @param settings pipeline parameters of the fusion
     * @param manager where trainable parameters live
     */
    Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager);
}
