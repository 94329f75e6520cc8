package org.nmodal.api.loss;

import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Computes per-sample weights from per-sample losses (e.g. a meta-learned weight net), registered with
 * {@code nmodal.kind=reweighter}. A factory, like {@link MultimodalLoss}.
 */
public interface SampleReweighter {
    /** Name used in pipeline files. */
    String name();

    /** Creates the reweighting state for one run. */
    Reweighting create(Map<String, ?> settings, NDManager manager);
}
