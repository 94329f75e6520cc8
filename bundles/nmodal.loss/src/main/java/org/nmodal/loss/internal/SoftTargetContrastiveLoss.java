package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.nmodal.api.NModal;
import org.nmodal.api.Settings;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.djl.Tensors;
import org.osgi.service.component.annotations.Component;

/**
 * The trimodal-CLIP objective (Theisen and Scheirer, arXiv 2403.12747) for any number of modalities: for each
 * pair, logits {@code Z = E_m E_n^T / tau} against soft targets {@code T = softmax_row(tau (E_m E_m^T + E_n E_n^T) / 2)},
 * loss {@code CE(Z, T) + CE(Z^T, T^T)}; summed over pairs and divided by {@code 2 * pairs}.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_LOSS, NModal.NAME + "=" + SoftTargetContrastiveLoss.NAME,
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Soft-target N-modal contrastive loss (trimodal CLIP)"})
public final class SoftTargetContrastiveLoss implements MultimodalLoss {
    static final String NAME = "nmodal-softclip";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossFunction create(Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("loss " + NAME, settings);
        float tau = (float) s.number("temperature", 1.0);
        s.checkAllUsed();
        if (!(tau > 0)) {
            throw new IllegalArgumentException("loss " + NAME + ": 'temperature' must be positive, got " + tau);
        }
        return new PairwiseLoss() {
            /** Each modality's self-similarity of this batch, computed once however many pairs use it. */
            private final java.util.Map<Integer, NDArray> self = new java.util.HashMap<>();

            @Override
            void begin(NDManager batch, long size) {
                self.clear();
            }

            @Override
            NDArray pairTerms(int i, int j, NDArray a, NDArray b, NDArray penalty) {
                NDArray z = Tensors.div(a.matMul(b.transpose()), tau);
                NDArray aa = self.computeIfAbsent(i, k -> a.matMul(a.transpose()));
                NDArray bb = self.computeIfAbsent(j, k -> b.matMul(b.transpose()));
                NDArray similar = Tensors.mul(aa.add(bb), tau / 2);
                if (penalty == null) {
                    NDArray targets = similar.softmax(1);
                    return softCrossEntropy(z, targets).add(softCrossEntropy(z.transpose(), targets.transpose()));
                }
                // rows of absent posts are zeroed too, so the transposed targets give them no weight either
                NDArray targets = similar.add(penalty).softmax(1).mul(penalty.reshape(-1, 1).eq(0).toType(
                        a.getDataType(), false));
                NDArray row = softCrossEntropy(z.add(penalty), targets);
                NDArray col = softCrossEntropy(z.transpose().add(penalty), targets.transpose());
                return row.add(col);
            }
        };
    }
}
