package org.nmodal.api.loss;

import ai.djl.ndarray.NDArray;
import org.nmodal.api.batch.Trainable;

/** One run's sample reweighting. */
public interface Reweighting extends Trainable {
    /**
     * @param perSampleLoss {@code B} losses from {@link LossFunction#perSample}
     * @return {@code B} non-negative weights that sum to 1
     */
    NDArray weights(NDArray perSampleLoss);
}
