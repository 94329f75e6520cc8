package org.nmodal.api.fusion;

import ai.djl.ndarray.NDArray;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.batch.Trainable;

/** One run's fusion. */
public interface Fusion extends Trainable {
    /** Length of the fused vector. */
    int outputDimension();

    /**
     * @param batch embeddings with presence mask; missing modalities must not leak into the result
     * @return {@code B x outputDimension()}
     */
    NDArray fuse(ModalityBatch batch);
}
