package org.nmodal.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.nmodal.djl.NoGrad;
import java.util.List;
import java.util.function.Predicate;

/**
 * AdamW: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m^/(sqrt(v^) + eps) + wd p)}, with weight decay
 * only where {@code decays} says. Each parameter is updated by one call into libtorch (DJL's fused Adam kernel with
 * decoupled weight decay, the one DJL's own {@code AdamW} uses) instead of a dozen small array operations: that kernel
 * computes {@code p -= lr sqrt(c2)/c1 m/(sqrt(v) + eps')}, so with {@code eps' = eps sqrt(c2)} it is exactly the
 * formula above. It runs without autograd. A step whose gradients are not all finite is skipped and the weights stay.
 * The gradients are always cleared with a fill afterwards: multiplying a NaN by zero would leave it NaN.
 */
public final class AdamW {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<NDArray> params;
    private final boolean[] decays;
    private final NDArray[] means;
    private final NDArray[] variances;
    private final float clip;
    private int step;

    /** An optimiser of {@code params}; {@code decays} says which get weight decay. */
    public AdamW(NDManager manager, List<NDArray> params, Predicate<NDArray> decays) {
        this(manager, params, decays, -1);
    }

    /**
     * An optimiser whose gradients are clipped element-wise to [−clip, clip] before they enter the moments (clip
     * below 0: none): one spike would otherwise fill the second moment for thousands of steps and stall the fit.
     */
    public AdamW(NDManager manager, List<NDArray> params, Predicate<NDArray> decays, double clip) {
        this.clip = (float) clip;
        this.params = List.copyOf(params);
        int n = this.params.size();
        this.decays = new boolean[n];
        this.means = new NDArray[n];
        this.variances = new NDArray[n];
        for (int i = 0; i < n; i++) {
            NDArray p = this.params.get(i);
            this.decays[i] = decays.test(p); // asked once, not at every step
            means[i] = manager.zeros(p.getShape(), p.getDataType(), p.getDevice());
            variances[i] = manager.zeros(p.getShape(), p.getDataType(), p.getDevice());
        }
        // A parameter's gradient buffer, as setRequiresGradient leaves it, is not promised to be zero: garbage there
        // entered the first step's moments (seen as an infinite gradient norm that froze a fit from its first step,
        // now and then). Cleared with a fill before the first backward pass.
        try (NoGrad g = NoGrad.enter()) {
            for (NDArray p : this.params) {
                if (p.hasGradient()) {
                    JniUtils.zeroGrad((PtNDArray) p);
                }
            }
        }
    }

    /** One update from the gradients the last backward pass left; false if it was skipped as non-finite. */
    public boolean step(double lr, double weightDecay) {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        float lrCorrected = (float) (lr * Math.sqrt(c2) / c1);
        float eps = (float) (EPS * Math.sqrt(c2));
        int n = params.size();
        PtNDArray[] grads = new PtNDArray[n];
        try (NoGrad g0 = NoGrad.enter()) {
            // each gradient fetched once; one sum over all of them says whether any holds a NaN or an infinity
            NDArray sum = null;
            for (int i = 0; i < n; i++) {
                PtNDArray g = (PtNDArray) params.get(i).getGradient();
                grads[i] = g;
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
            for (int i = 0; i < n && finite; i++) {
                float wd = weightDecay > 0 && decays[i] ? (float) weightDecay : 0f;
                JniUtils.adamUpdate((PtNDArray) params.get(i), grads[i], (PtNDArray) means[i],
                        (PtNDArray) variances[i], (float) lr, lrCorrected, wd, 1f, clip, (float) BETA1,
                        (float) BETA2, eps, true);
            }
            for (NDArray p : params) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
            return finite;
        } finally {
            for (NDArray g : grads) {
                if (g != null) {
                    g.close();
                }
            }
        }
    }

    /** Steps taken so far (the bias correction depends on it). */
    int steps() {
        return step;
    }

    /** The first ({@code mean}) or second moments, in parameter order: part of a resumable training state. */
    float[][] moments(boolean mean) {
        NDArray[] a = mean ? means : variances;
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].toFloatArray();
        }
        return out;
    }

    /** Puts back a saved state: the step count and both moments. */
    void restore(int steps, float[][] m, float[][] v) {
        this.step = steps;
        try (NoGrad g = NoGrad.enter()) {
            for (int i = 0; i < means.length; i++) {
                means[i].set(m[i]);
                variances[i].set(v[i]);
            }
        }
    }

    /** Forgets the moments (after the weights were restored). */
    public void reset() {
        try (NoGrad g = NoGrad.enter()) {
            for (int i = 0; i < means.length; i++) {
                means[i].muli(0f);
                variances[i].muli(0f);
            }
        }
    }
}
