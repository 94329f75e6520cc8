package org.nmodal.api.batch;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Something with trainable parameters that a trainer updates (temperatures, fusion gates, weight nets). */
public interface Trainable {
    /** Arrays that require gradients; empty when there is nothing to train. */
    default List<NDArray> parameters() {
        return List.of();
    }
}
