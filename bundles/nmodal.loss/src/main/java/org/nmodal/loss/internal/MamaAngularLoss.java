package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.nmodal.api.NModal;
import org.nmodal.api.Settings;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.api.loss.MultimodalLoss;
import org.osgi.service.component.annotations.Component;

/**
 * MAMA's subtractive angular margin (Nguyen et al., ECCV 2024) over every pair of modalities: on L2-normalised
 * embeddings {@code θ_ij = arccos(clamp(u_i · v_j))}; a positive pair's angle is reduced by the margin,
 * {@code θ'_ii = θ_ii − μ}, so a near-match is not pushed ever closer; logits {@code e^τ cos θ'} with a learnable
 * {@code τ} (initialised to {@code ln(1/temperature)}, clamped so the scale stays at most {@code maxScale}); per post
 * the row and column cross-entropies, averaged over the pairs present. With {@code margin} 0 it is InfoNCE.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_LOSS, NModal.NAME + "=" + MamaAngularLoss.NAME,
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=MAMA: symmetric contrastive loss with a subtractive angular margin on positive pairs"})
public final class MamaAngularLoss implements MultimodalLoss {
    static final String NAME = "mama-angular";
    /** Keeps arccos away from ±1, where its derivative is infinite. */
    static final float CLAMP = 1 - 1e-6f;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossFunction create(Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("loss " + NAME, settings);
        double margin = s.number("margin", 0.05);
        LearnedScale learned = LearnedScale.read(s, NAME, manager);
        s.checkAllUsed();
        if (!(margin >= 0 && margin < Math.PI / 2)) {
            throw new IllegalArgumentException("loss " + NAME + ": margin must be in [0, pi/2), got " + margin);
        }
        float mu = (float) margin;
        return new PairwiseLoss() {
            private NDArray scale;
            private NDArray eye;

            @Override
            NDArray prepare(NDArray e) {
                return InfoNceLoss.normalize(e);
            }

            @Override
            void begin(NDManager batch, long size) {
                scale = learned.forBatch(batch);
                eye = batch.eye((int) size);
            }

            @Override
            NDArray pairTerms(int i, int j, NDArray a, NDArray b, NDArray penalty) {
                NDArray cos = a.matMul(b.transpose()).clip(-CLAMP, CLAMP);
                // only the diagonal goes through the angle: off it cos(arccos c) = c, and taking it directly avoids
                // multiplying arccos's large derivative near ±1 by cos's small one
                NDArray diag = cos.mul(eye).sum(new int[] {1});
                NDArray shifted = mu == 0 ? diag : diag.acos().sub(mu).cos();
                NDArray logits = cos.add(eye.mul(shifted.sub(diag).reshape(-1, 1))).mul(scale);
                NDArray row = PairwiseLoss.softCrossEntropy(penalty == null ? logits : logits.add(penalty), eye);
                NDArray t = logits.transpose();
                NDArray col = PairwiseLoss.softCrossEntropy(penalty == null ? t : t.add(penalty), eye);
                return row.add(col);
            }

            @Override
            public List<NDArray> parameters() {
                return learned.parameters();
            }
        };
    }
}
