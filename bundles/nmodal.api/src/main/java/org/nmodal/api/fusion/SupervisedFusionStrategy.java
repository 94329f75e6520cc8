package org.nmodal.api.fusion;

import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A fusion strategy whose fusions learn from a task's labels. Registered as a {@link FusionStrategy} service like
 * any other (so pipelines name it under {@code fusion}); the platform recognises this subtype and trains a
 * {@link SupervisedFusion} per task and modality subset, on the frozen features of the modalities. Where the
 * platform fuses without labels (the aligned embeddings, serving), {@link #create} is used as for any fusion.
 */
public interface SupervisedFusionStrategy extends FusionStrategy {
    /**
     * Creates an untrained fusion for one task and subset of modalities.
     *
     * @param task the modalities, their widths, the classes and the seed
     * @param settings pipeline parameters of the fusion (unknown ones are an {@link IllegalArgumentException})
     * @param manager where the parameters live
     */
    SupervisedFusion createSupervised(FusionTask task, Map<String, ?> settings, NDManager manager);
}
