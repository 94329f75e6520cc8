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
 * The usual CLIP objective generalised to N modalities: L2-normalised embeddings, logits scaled by
 * {@code exp(s)} with a learnable {@code s} (initialised to {@code ln(1/temperature)}, clamped so the scale stays at
 * most {@code maxScale}), hard targets on the diagonal, symmetric cross-entropy for every pair.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_LOSS, NModal.NAME + "=" + InfoNceLoss.NAME,
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Symmetric InfoNCE over all modality pairs, learnable temperature"})
public final class InfoNceLoss implements MultimodalLoss {
    static final String NAME = "nmodal-infonce";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossFunction create(Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("loss " + NAME, settings);
        LearnedScale learned = LearnedScale.read(s, NAME, manager);
        s.checkAllUsed();
        return new PairwiseLoss() {
            private NDArray scale;
            private NDArray eye;

            @Override
            NDArray prepare(NDArray e) {
                return normalize(e);
            }

            @Override
            void begin(NDManager batch, long size) {
                scale = learned.forBatch(batch);
                eye = batch.eye((int) size);
            }

            @Override
            NDArray pairTerms(int i, int j, NDArray a, NDArray b, NDArray penalty) {
                NDArray logits = a.matMul(b.transpose()).mul(scale);
                NDArray row = softCrossEntropy(penalty == null ? logits : logits.add(penalty), eye);
                NDArray t = logits.transpose();
                NDArray col = softCrossEntropy(penalty == null ? t : t.add(penalty), eye);
                return row.add(col);
            }

            @Override
            public List<NDArray> parameters() {
                return learned.parameters();
            }
        };
    }

    static NDArray normalize(NDArray x) {
        return x.div(x.norm(new int[] {1}, true).clip(1e-8f, Float.MAX_VALUE));
    }
}
