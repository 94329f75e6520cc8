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
 * MAMA's meta-learned sample weights (Meta-Weight-Net, Shu et al. 2019): {@code w_i = σ(W2 ReLU(W1 x_i + b1) + b2)}
 * of a per-post signal {@code x_i}, normalised over the batch. Its parameters learn only from the clean meta set,
 * through the trainer's look-ahead step (see {@link MetaReweighting}): Adam on {@code −α Σ_i a_i ŵ_i(φ)}, where
 * {@code a_i} is the agreement of post i's gradient with the meta gradient. Departures from the plain form, each
 * measured (README, MAMA section):
 *
 * <ul>
 *   <li>the signal enters standardised over the batch, and the pre-sigmoid values are centred on the batch mean (the
 *       weights are normalised anyway; left free, their level drifted until the sigmoid saturated);</li>
 *   <li>{@code signal}: {@code loss} is the post's loss, as in Meta-Weight-Net; {@code agreement} is the post's own
 *       past agreements {@code a_i} with the meta gradient, standardised per batch and averaged over its earlier
 *       steps ({@code history}); {@code both} feeds the two. On posts whose pairs are loose even when clean (Twitter
 *       I), a hard clean pair and a broken one have much the same loss, but only the broken one's gradient keeps
 *       working against the clean meta set, epoch after epoch; the net still learns from the meta set alone how
 *       much weight a given agreement earns;</li>
 *   <li>{@code history} β: each post's signal is averaged over the epochs, {@code x ← β x + (1 − β) z} (1: the plain
 *       mean of all its steps; 0: this step's loss only);</li>
 *   <li>{@code warmup}: for that many epochs the weights are uniform while the history fills (the net already learns
 *       from the meta set).</li>
 * </ul>
 *
 * The meta objective ({@code metaObjective}) is by default {@code alignment}, the mean {@code 1 − cos} between a
 * clean meta post's own modalities; {@code loss} uses the training loss on the meta batch, as Meta-Weight-Net does,
 * but with a contrastive loss a post's agreement then mostly measures its gradient's size, which favours the broken
 * pairs. Settings: {@code hidden} (64), {@code lr} (Adam, 1e-2), {@code virtualStep} (α, 0.05), {@code metaPosts}
 * (dev posts in the meta set, 100), {@code signal} ({@code loss}), {@code history} (0), {@code warmup}
 * (0), {@code seed} (7).
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
        double history = s.number("history", 0);
        int warmup = s.integer("warmup", 0);
        String signal = s.choice("signal", "loss", java.util.Set.of("loss", "agreement", "both"));
        s.checkAllUsed();
        if (hidden < 1 || !(lr > 0) || !(alpha > 0) || metaPosts < 2) {
            throw new IllegalArgumentException("reweighter " + NAME + ": need hidden >= 1, lr > 0, virtualStep > 0 and "
                    + "metaPosts >= 2, got " + hidden + ", " + lr + ", " + alpha + ", " + metaPosts);
        }
        if (!(history >= 0 && history <= 1) || warmup < 0) {
            throw new IllegalArgumentException("reweighter " + NAME + ": need 0 <= history <= 1 and warmup >= 0, got "
                    + history + " and " + warmup);
        }
        return new Net(manager, hidden, lr, alpha, metaPosts, seed, objective.equals("alignment"), history, warmup,
                !signal.equals("agreement"), !signal.equals("loss"));
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
        private final float history;
        private final int warmup;
        private final boolean useLoss;
        private final boolean useAgreement;
        private final int features;
        private float[] average = new float[0];
        private int[] seen = new int[0];
        private float[] agreementAverage = new float[0];
        private int[] agreementSeen = new int[0];
        private int[] rows;
        private int epoch = 1;
        private int step;

        Net(NDManager manager, int hidden, double lr, double alpha, int metaPosts, long seed, boolean alignment,
                double history, int warmup, boolean useLoss, boolean useAgreement) {
            this.alignment = alignment;
            this.history = (float) history;
            this.warmup = warmup;
            this.useLoss = useLoss;
            this.useAgreement = useAgreement;
            this.features = (useLoss ? 1 : 0) + (useAgreement ? 1 : 0);
            this.manager = manager;
            this.lr = lr;
            this.alpha = alpha;
            this.metaPosts = metaPosts;
            Random r = new Random(seed);
            // as nn.Linear: uniform in ±1/sqrt(fan in)
            NDArray w1 = uniform(r, features, hidden, features);
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
            NDArray raw = losses.reshape(-1, features);
            // the loss's scale drifts by a factor of several during training; its standing in the batch does not
            NDArray centred = raw.sub(raw.mean(new int[] {0}, true));
            NDArray x = centred.div(centred.square().mean(new int[] {0}, true).sqrt().add(1e-6f));
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

        /**
         * With {@code history} β > 0: each post's loss, standardised over its batch (the loss's scale drifts over
         * training; a post's standing in its batch does not), averaged over the epochs, {@code a ← β a + (1 − β) z}.
         * A broken pair stays high epoch after epoch while a hard clean pair falls as the heads learn it; one
         * epoch's loss cannot tell the two apart.
         */
        @Override
        public NDArray input(int[] rows, NDArray perSampleLoss, int epoch) {
            this.epoch = epoch;
            this.rows = rows.clone();
            if (history == 0 && !useAgreement) {
                return perSampleLoss;
            }
            float[] z = standardised(perSampleLoss.toFloatArray());
            grow(rows);
            float[] out = new float[rows.length * features];
            for (int k = 0; k < rows.length; k++) {
                int row = rows[k];
                average[row] = averaged(average[row], z[k], ++seen[row]);
                int f = 0;
                if (useLoss) {
                    out[k * features + f++] = average[row];
                }
                if (useAgreement) {
                    // the agreements of the post's earlier steps: this step's is measured after the weights are asked
                    out[k * features + f] = agreementAverage[row];
                }
            }
            return perSampleLoss.getManager().create(out, features == 1 ? new Shape(rows.length)
                    : new Shape(rows.length, features));
        }

        /** The {@code n}-th value's place in the average: exponential with β = history, the plain mean with 1. */
        private float averaged(float average, float value, int n) {
            if (n == 1) {
                return value;
            }
            float keep = history == 1 ? (n - 1f) / n : history;
            return keep * average + (1 - keep) * value;
        }

        private void grow(int[] rows) {
            int max = 0;
            for (int row : rows) {
                max = Math.max(max, row);
            }
            if (max >= average.length) {
                int n = Math.max(max + 1, average.length * 2);
                average = java.util.Arrays.copyOf(average, n);
                seen = java.util.Arrays.copyOf(seen, n);
                agreementAverage = java.util.Arrays.copyOf(agreementAverage, n);
                agreementSeen = java.util.Arrays.copyOf(agreementSeen, n);
            }
        }

        private static float[] standardised(float[] l) {
            double mean = 0;
            for (float x : l) {
                mean += x;
            }
            mean /= l.length;
            double var = 0;
            for (float x : l) {
                var += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(var / l.length) + 1e-6;
            float[] z = new float[l.length];
            for (int k = 0; k < l.length; k++) {
                z[k] = (float) ((l[k] - mean) / sd);
            }
            return z;
        }

        @Override
        public NDArray weights(NDArray perSampleLoss) {
            if (epoch <= warmup) {
                // warm-up: uniform weights while the history fills and the net already learns from the meta set
                long b = perSampleLoss.getShape().get(0);
                return perSampleLoss.getManager().full(new Shape(b), 1f / b);
            }
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
            if (useAgreement && rows != null && rows.length == agreement.size()) {
                float[] z = standardised(agreement.toFloatArray());
                for (int k = 0; k < rows.length; k++) {
                    int row = rows[k];
                    agreementAverage[row] = averaged(agreementAverage[row], z[k], ++agreementSeen[row]);
                }
            }
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

        /** The net's weights, their Adam moments and step, and each post's averaged signals. */
        @Override
        public byte[] state() {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                out.writeInt(step);
                out.writeInt(epoch);
                for (int i = 0; i < params.size(); i++) {
                    for (NDArray a : List.of(params.get(i), m[i], v[i])) {
                        floats(out, a.toFloatArray());
                    }
                }
                floats(out, average);
                ints(out, seen);
                floats(out, agreementAverage);
                ints(out, agreementSeen);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public void restore(byte[] state) {
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state));
                    NoGrad g = NoGrad.enter()) {
                step = in.readInt();
                epoch = in.readInt();
                for (int i = 0; i < params.size(); i++) {
                    for (NDArray a : List.of(params.get(i), m[i], v[i])) {
                        float[] x = floats(in);
                        if (x.length != a.size()) {
                            throw new IllegalArgumentException("a weight net state for other settings");
                        }
                        a.set(x);
                    }
                }
                average = floats(in);
                seen = ints(in);
                agreementAverage = floats(in);
                agreementSeen = ints(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("not a weight net state: " + e.getMessage());
            }
        }

        private static void floats(java.io.DataOutputStream out, float[] x) throws java.io.IOException {
            out.writeInt(x.length);
            for (float f : x) {
                out.writeFloat(f);
            }
        }

        private static void ints(java.io.DataOutputStream out, int[] x) throws java.io.IOException {
            out.writeInt(x.length);
            for (int f : x) {
                out.writeInt(f);
            }
        }

        private static float[] floats(java.io.DataInputStream in) throws java.io.IOException {
            float[] x = new float[in.readInt()];
            for (int i = 0; i < x.length; i++) {
                x[i] = in.readFloat();
            }
            return x;
        }

        private static int[] ints(java.io.DataInputStream in) throws java.io.IOException {
            int[] x = new int[in.readInt()];
            for (int i = 0; i < x.length; i++) {
                x[i] = in.readInt();
            }
            return x;
        }

        /** The weight net's own parameters: trained by {@link #metaUpdate}, never by the trainer's optimiser. */
        @Override
        public List<NDArray> parameters() {
            return params;
        }
    }
}
