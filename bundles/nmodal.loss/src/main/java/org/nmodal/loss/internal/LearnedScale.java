package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.nmodal.api.Settings;

/**
 * The logit scale the contrastive losses share: {@code exp(s)} with {@code s} initialised to {@code ln(1/temperature)},
 * learnt unless {@code learnTemperature} is false, and clamped so the scale stays at most {@code maxScale}.
 */
final class LearnedScale {
    private final NDArray logScale;
    private final boolean learn;
    private final float cap;

    private LearnedScale(NDArray logScale, boolean learn, float cap) {
        this.logScale = logScale;
        this.learn = learn;
        this.cap = cap;
    }

    /** Reads {@code temperature}, {@code learnTemperature} and {@code maxScale} from the loss's settings. */
    static LearnedScale read(Settings s, String loss, NDManager manager) {
        double tau = s.number("temperature", 0.07);
        boolean learn = s.flag("learnTemperature", true);
        double maxScale = s.number("maxScale", 100);
        if (!(tau > 0) || !(maxScale >= 1 / tau)) {
            throw new IllegalArgumentException("loss " + loss + ": need temperature > 0 and maxScale >= 1/temperature, "
                    + "got " + tau + " and " + maxScale);
        }
        NDArray logScale = manager.create((float) Math.log(1 / tau));
        if (learn) {
            logScale.setRequiresGradient(true);
        }
        return new LearnedScale(logScale, learn, (float) Math.log(maxScale));
    }

    /**
     * This batch's scale, owned by the batch's manager: left in the parameter's, one pair of arrays per step would
     * pile up there.
     */
    NDArray forBatch(NDManager batch) {
        NDArray clipped = logScale.clip(Float.NEGATIVE_INFINITY, cap);
        NDArray scale = clipped.exp();
        clipped.attach(batch);
        scale.attach(batch);
        return scale;
    }

    /** The learnt parameter, or none. */
    List<NDArray> parameters() {
        return learn ? List.of(logScale) : List.of();
    }
}
