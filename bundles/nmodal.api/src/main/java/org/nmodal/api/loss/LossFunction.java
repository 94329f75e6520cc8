package org.nmodal.api.loss;

import ai.djl.ndarray.NDArray;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.batch.Trainable;

/** One run's loss: per-sample values, so that a {@link SampleReweighter} can weight them. */
public interface LossFunction extends Trainable {
    /**
     * Computes the unreduced loss.
     *
     * @param batch embeddings with presence mask; pairs with a missing modality contribute nothing
     * @return a {@code B} array, one loss value per post
     */
    NDArray perSample(ModalityBatch batch);
}
