package org.nmodal.api.loss;

import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A training objective over any number of modalities, registered with {@code nmodal.kind=loss} and
 * {@code nmodal.name}. The service is a factory: each training run gets its own {@link LossFunction}, since a
 * loss may hold trainable state such as a temperature.
 */
public interface MultimodalLoss {
    /** Name used in pipeline files. */
    String name();

    /**
     * Creates a loss for one run.
     *
     * @param settings the pipeline's {@code loss} parameters (e.g. {@code temperature}); unknown keys are errors
     * @param manager where trainable parameters live
     * @throws IllegalArgumentException naming a bad or unknown setting
     */
    LossFunction create(Map<String, ?> settings, NDManager manager);
}
