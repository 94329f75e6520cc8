package org.nmodal.api.fusion;

import ai.djl.ndarray.NDArray;
import org.nmodal.api.batch.ModalityBatch;

/**
 * A fusion that learns from a task's labels, end to end, over per-modality inputs of their own widths. It scores
 * the classes itself ({@link #logits}); the platform trains {@link #parameters()} on the cross-entropy of those
 * scores (AdamW on mini-batches, early stopping on held-out posts, the best weights kept, seeded), then reads the
 * fused vectors ({@link #fuse}) and the class scores of the posts to predict. Missing modalities are marked in the
 * batch's presence mask and must not leak into either.
 */
public interface SupervisedFusion extends Fusion {
    /**
     * Unnormalised class scores.
     *
     * @param batch the inputs with their presence mask (rows of missing modalities hold zeros)
     * @param training whether this pass trains (dropout on) or predicts (deterministic)
     * @return {@code B x classes}
     */
    NDArray logits(ModalityBatch batch, boolean training);

    /** How the platform should train it; the strategy usually reads these from the pipeline's fusion settings. */
    FusionTraining training();
}
