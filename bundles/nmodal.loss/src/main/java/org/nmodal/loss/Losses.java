package org.nmodal.loss;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.function.Function;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.api.loss.Reweighting;
import org.nmodal.loss.internal.InfoNceLoss;
import org.nmodal.loss.internal.MamaAngularLoss;
import org.nmodal.loss.internal.MetaWeightReweighter;
import org.nmodal.loss.internal.SoftTargetContrastiveLoss;

/**
 * The losses for code that runs without an OSGi framework (benchmarks, tools, embedding): the same objects the DS
 * components create. Inside OSGi, look the {@code MultimodalLoss} services up by name instead.
 */
public final class Losses {
    private Losses() {}

    /** The hard-target InfoNCE loss with a learnable temperature. */
    public static Function<NDManager, LossFunction> infoNce(double temperature) {
        return m -> new InfoNceLoss().create(Map.of("temperature", temperature), m);
    }

    /** The soft-target contrastive loss with a temperature. */
    public static Function<NDManager, LossFunction> softClip(double temperature) {
        return m -> new SoftTargetContrastiveLoss().create(Map.of("temperature", temperature), m);
    }

    /** MAMA's angular-margin loss with a learnable temperature. */
    public static Function<NDManager, LossFunction> mamaAngular(double margin, double temperature) {
        return m -> new MamaAngularLoss().create(Map.of("margin", margin, "temperature", temperature), m);
    }

    /** MAMA's meta-learned weight net, with its settings (hidden, lr, virtualStep, metaPosts, signal, history, warmup, seed). */
    public static Function<NDManager, Reweighting> metaWeight(Map<String, ?> settings) {
        return m -> new MetaWeightReweighter().create(settings, m);
    }
}
