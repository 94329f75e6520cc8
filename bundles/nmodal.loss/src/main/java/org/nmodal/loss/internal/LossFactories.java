package org.nmodal.loss.internal;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.function.Function;
import org.nmodal.api.loss.LossFunction;

/** Ready-made losses for code outside OSGi (tests, tools): the same objects the DS components create. */
public final class LossFactories {
    private LossFactories() {}

    /** The hard-target InfoNCE loss with a learnable temperature. */
    public static Function<NDManager, LossFunction> infoNce(double temperature) {
        return m -> new InfoNceLoss().create(Map.of("temperature", temperature), m);
    }

    /** The soft-target contrastive loss with a temperature. */
    public static Function<NDManager, LossFunction> softClip(double temperature) {
        return m -> new SoftTargetContrastiveLoss().create(Map.of("temperature", temperature), m);
    }
}
