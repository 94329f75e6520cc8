package org.nmodal.training;

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
public final class AdamW {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;

    private final List<NDArray> params;
    private final Predicate<NDArray> decays;
    private final Map<NDArray, NDArray[]> moments = new IdentityHashMap<>();
    private int step;

    /** An optimiser of {@code params}; {@code decays} says which get weight decay. */
    public AdamW(NDManager manager, List<NDArray> params, Predicate<NDArray> decays) {
        this.params = params;
        this.decays = decays;
        for (NDArray p : params) {
            moments.put(p, new NDArray[] {manager.zeros(p.getShape()), manager.zeros(p.getShape())});
        }
    }

    /** One update from the gradients the last backward pass left; false if it was skipped as non-finite. */
    public boolean step(double lr, double weightDecay) {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            // each gradient fetched once; one sum over all of them says whether any holds a NaN or an infinity
            List<NDArray> grads = new java.util.ArrayList<>(params.size());
            try {
                NDArray sum = null;
                for (NDArray p : params) {
                    NDArray g = p.getGradient();
                    grads.add(g);
                    NDArray s = g.sum();
                    if (sum == null) {
                        sum = s;
                    } else {
                        sum.addi(s);
                        s.close();
                    }
                }
                boolean finite = sum == null || Float.isFinite(sum.getFloat());
                if (sum != null) {
                    sum.close();
                }
                for (int i = 0; i < params.size() && finite; i++) {
                    update(params.get(i), grads.get(i), c1, c2, lr, weightDecay);
                }
                for (NDArray p : params) {
                    JniUtils.zeroGrad((PtNDArray) p);
                }
                return finite;
            } finally {
                grads.forEach(NDArray::close);
            }
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** One parameter's update; every temporary is closed, since they belong to the parameters' long-lived manager. */
    private void update(NDArray p, NDArray g, double c1, double c2, double lr, double weightDecay) {
        NDArray[] mv = moments.get(p);
        try (NDArray gm = g.mul((float) (1 - BETA1)); NDArray g2 = g.square()) {
            mv[0].muli((float) BETA1).addi(gm);
            mv[1].muli((float) BETA2).addi(g2.muli((float) (1 - BETA2)));
        }
        try (NDArray step = mv[0].div((float) c1); NDArray v = mv[1].div((float) c2); NDArray denom = v.sqrt()) {
            denom.addi(1e-8f);
            if (weightDecay > 0 && decays.test(p)) {
                p.muli((float) (1 - lr * weightDecay));
            }
            p.subi(step.divi(denom).muli((float) lr));
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
