package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.NModal;
import org.nmodal.api.Settings;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.loss.MetaReweighting;
import org.nmodal.api.loss.Reweighting;
import org.nmodal.api.loss.SampleReweighter;
import org.nmodal.djl.NoGrad;
import org.osgi.service.component.annotations.Component;

/**
 * MAMA's meta-learned sample weights (Meta-Weight-Net, Shu et al. 2019): {@code w_i = σ(W2 ReLU(W1 L_i + b1) + b2)}
 * of each post's loss, normalised over the batch. Two departures from the plain form, both because a few hundred
 * steps are all a projection head trains for: the loss enters standardised over the batch, and the pre-sigmoid values
 * are centred on the batch mean (the weights are normalised anyway). Its parameters learn only from the clean meta set, through the
 * trainer's look-ahead step (see {@link MetaReweighting}): Adam on {@code −α Σ_i a_i ŵ_i(φ)}, where {@code a_i} is
 * the agreement of post i's gradient with the meta gradient. The meta objective ({@code metaObjective}) is by
 * default {@code alignment}, the mean {@code 1 − cos} between a clean meta post's own modalities; {@code loss} uses
 * the training loss on the meta batch, as Meta-Weight-Net does, but with a contrastive loss a post's agreement then
 * mostly measures its gradient's size, which favours the broken pairs. Settings: {@code hidden} (64), {@code lr} (Adam, 1e-2),
 * {@code virtualStep} (α, 0.05), {@code metaPosts} (dev posts in the meta set, 100), {@code seed} (7).
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_REWEIGHTER, NModal.NAME + "=" + MetaWeightReweighter.NAME,
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=MAMA / Meta-Weight-Net: per-post weights from the loss, meta-learned on clean dev posts"})
public final class MetaWeightReweighter implements SampleReweighter {
    static final String NAME = "mama-metaweight";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Reweighting create(Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("reweighter " + NAME, settings);
        int hidden = s.integer("hidden", 64);
        double lr = s.number("lr", 1e-2);
        double alpha = s.number("virtualStep", 0.05);
        int metaPosts = s.integer("metaPosts", 100);
        long seed = (long) s.number("seed", 7);
        String objective = s.choice("metaObjective", "alignment", java.util.Set.of("alignment", "loss"));
        s.checkAllUsed();
        if (hidden < 1 || !(lr > 0) || !(alpha > 0) || metaPosts < 2) {
            throw new IllegalArgumentException("reweighter " + NAME + ": need hidden >= 1, lr > 0, virtualStep > 0 and "
                    + "metaPosts >= 2, got " + hidden + ", " + lr + ", " + alpha + ", " + metaPosts);
        }
        return new Net(manager, hidden, lr, alpha, metaPosts, seed, objective.equals("alignment"));
    }

    /** The weight net and its Adam state. */
    static final class Net implements MetaReweighting {
        private static final float B1 = 0.9f;
        private static final float B2 = 0.999f;
        private final NDManager manager;
        private final List<NDArray> params;
        private final NDArray[] m;
        private final NDArray[] v;
        private final double lr;
        private final double alpha;
        private final int metaPosts;
        private final boolean alignment;
        private int step;

        Net(NDManager manager, int hidden, double lr, double alpha, int metaPosts, long seed, boolean alignment) {
            this.alignment = alignment;
            this.manager = manager;
            this.lr = lr;
            this.alpha = alpha;
            this.metaPosts = metaPosts;
            Random r = new Random(seed);
            // as nn.Linear: uniform in ±1/sqrt(fan in)
            NDArray w1 = uniform(r, 1, hidden, 1);
            NDArray b1 = uniform(r, 1, hidden, 1).reshape(hidden);
            NDArray w2 = uniform(r, hidden, 1, hidden);
            NDArray b2 = uniform(r, 1, 1, hidden).reshape(1);
            params = List.of(w1, b1, w2, b2);
            m = new NDArray[params.size()];
            v = new NDArray[params.size()];
            for (int i = 0; i < params.size(); i++) {
                params.get(i).setRequiresGradient(true);
                m[i] = manager.zeros(params.get(i).getShape());
                v[i] = manager.zeros(params.get(i).getShape());
            }
        }

        private NDArray uniform(Random r, int rows, int cols, int fanIn) {
            float[] x = new float[rows * cols];
            double bound = 1 / Math.sqrt(fanIn);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
            }
            return manager.create(x, new Shape(rows, cols));
        }

        /** {@code σ(W2 ReLU(W1 L + b1) + b2)} for a {@code B} vector of losses, {@code B} out. */
        private NDArray forward(NDArray losses) {
            NDArray raw = losses.reshape(-1, 1);
            // the loss's scale drifts by a factor of several during training; its standing in the batch does not
            NDArray mean = raw.mean();
            NDArray x = raw.sub(mean).div(raw.sub(mean).square().mean().sqrt().add(1e-6f));
            NDArray h = x.matMul(params.get(0)).add(params.get(1)).maximum(0f);
            NDArray z = h.matMul(params.get(2)).add(params.get(3)).reshape(-1);
            // the weights are normalised, so their common level means nothing; left free, it drifts until the
            // sigmoid saturates and the net can no longer change its mind when the meta gradient turns
            z = z.sub(z.mean());
            return Activation.sigmoid(z);
        }

        private static NDArray normalised(NDArray w) {
            return w.div(w.sum().add(1e-12f));
        }

        @Override
        public NDArray weights(NDArray perSampleLoss) {
            try (NoGrad g = NoGrad.enter()) {
                return normalised(forward(perSampleLoss.stopGradient()));
            }
        }

        @Override
        public NDArray rawWeights(NDArray perSampleLoss) {
            try (NoGrad g = NoGrad.enter()) {
                return forward(perSampleLoss.stopGradient());
            }
        }

        @Override
        public double virtualStep() {
            return alpha;
        }

        @Override
        public int metaPosts() {
            return metaPosts;
        }

        @Override
        public NDArray metaLoss(ModalityBatch batch, NDArray perSampleLoss) {
            return alignment ? Alignment.meanAngle(batch) : perSampleLoss.mean();
        }

        @Override
        public void metaUpdate(NDArray perSampleLoss, NDArray agreement) {
            try (NDManager step = manager.newSubManager();
                    GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray losses = perSampleLoss.stopGradient();
                NDArray a = agreement.stopGradient();
                losses.attach(step);
                a.attach(step);
                // ∂L_meta(θ')/∂w_i = −α a_i: descend the meta loss through the normalised weights
                NDArray surrogate = normalised(forward(losses)).mul(a).sum().mul((float) -alpha);
                surrogate.attach(step);
                gc.backward(surrogate);
            }
            adam();
        }

        private void adam() {
            step++;
            double c1 = 1 - Math.pow(B1, step);
            double c2 = 1 - Math.pow(B2, step);
            float lrCorrected = (float) (lr * Math.sqrt(c2) / c1);
            float eps = (float) (1e-8 * Math.sqrt(c2));
            try (NoGrad g = NoGrad.enter()) {
                for (int i = 0; i < params.size(); i++) {
                    PtNDArray p = (PtNDArray) params.get(i);
                    try (NDArray grad = p.getGradient(); NDArray sum = grad.sum()) {
                        if (Float.isFinite(sum.getFloat())) {
                            JniUtils.adamUpdate(p, (PtNDArray) grad, (PtNDArray) m[i], (PtNDArray) v[i], (float) lr,
                                    lrCorrected, 0f, 1f, -1f, B1, B2, eps, true);
                        }
                    }
                    JniUtils.zeroGrad(p);
                }
            }
        }

        /** The weight net's own parameters: trained by {@link #metaUpdate}, never by the trainer's optimiser. */
        @Override
        public List<NDArray> parameters() {
            return params;
        }
    }
}
