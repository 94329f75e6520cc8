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

    /**
     * Everything the reweighting has learned or kept so far (its parameters, their optimiser's moments, any per-post
     * history), as bytes the trainer writes with each training checkpoint, so that a resumed run goes on as if it had
     * never stopped. Empty for a reweighting that keeps nothing.
     *
     * @since 1.3
     */
    default byte[] state() {
        return new byte[0];
    }

    /**
     * Takes back what {@link #state} gave, on a reweighting made with the same settings.
     *
     * @throws IllegalArgumentException if the bytes are not such a state
     * @since 1.3
     */
    default void restore(byte[] state) {
        if (state.length != 0) {
            throw new IllegalArgumentException("this reweighting keeps no state, got " + state.length + " bytes");
        }
    }
}
