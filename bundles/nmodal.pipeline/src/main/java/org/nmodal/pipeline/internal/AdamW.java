package org.nmodal.pipeline.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AdamW written out: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m^/(sqrt(v^) + eps) + wd p)}, with
 * weight decay only where {@code decays} says. Autograd is off during the update (libtorch refuses an in-place
 * change of a parameter under autograd). A step whose gradients are not all finite is skipped and the weights
 * stay. The gradients are always cleared with a fill afterwards: multiplying a NaN by zero would leave it NaN.
 */
final class AdamW {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;

    private final List<NDArray> params;
    private final Predicate<NDArray> decays;
    private final Map<NDArray, NDArray[]> moments = new IdentityHashMap<>();
    private int step;

    AdamW(NDManager manager, List<NDArray> params, Predicate<NDArray> decays) {
        this.params = params;
        this.decays = decays;
        for (NDArray p : params) {
            moments.put(p, new NDArray[] {manager.zeros(p.getShape()), manager.zeros(p.getShape())});
        }
    }

    /** One update from the gradients the last backward pass left; false if it was skipped as non-finite. */
    boolean step(double lr, double weightDecay) {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            // one sum over every gradient: a NaN or infinity anywhere makes it non-finite (one sync, not one per array)
            float total = 0;
            NDArray sum = null;
            for (NDArray p : params) {
                try (NDArray g = p.getGradient()) {
                    NDArray s = g.sum();
                    sum = sum == null ? s : sum.addi(s);
                    if (sum != s) {
                        s.close();
                    }
                }
            }
            if (sum != null) {
                total = sum.getFloat();
                sum.close();
            }
            boolean finite = Float.isFinite(total);
            for (NDArray p : params) {
                if (finite) {
                    // every temporary is closed here: they belong to the parameters' long-lived manager
                    NDArray[] mv = moments.get(p);
                    try (NDArray g = p.getGradient();
                            NDArray gm = g.mul((float) (1 - BETA1));
                            NDArray g2 = g.square()) {
                        mv[0].muli((float) BETA1).addi(gm);
                        mv[1].muli((float) BETA2).addi(g2.muli((float) (1 - BETA2)));
                    }
                    try (NDArray update = mv[0].div((float) c1);
                            NDArray v = mv[1].div((float) c2);
                            NDArray denom = v.sqrt()) {
                        denom.addi(1e-8f);
                        if (weightDecay > 0 && decays.test(p)) {
                            p.muli((float) (1 - lr * weightDecay));
                        }
                        p.subi(update.divi(denom).muli((float) lr));
                    }
                }
                JniUtils.zeroGrad((PtNDArray) p);
            }
            return finite;
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Forgets the moments (after the weights were restored). */
    void reset() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            moments.values().forEach(mv -> {
                mv[0].muli(0f);
                mv[1].muli(0f);
            });
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
