package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nmodal.api.NModal;
import org.nmodal.api.Settings;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.djl.Tensors;
import org.osgi.service.component.annotations.Component;

/**
 * The N-modal triplet loss of the trimodal-CLIP paper:
 * {@code alpha * sum over modalities a, p, q of log(1 + exp(|e_i^a - e_i^p| - |e_i^a - e_neg(i)^q|))}, where the
 * negative is the next post of the batch ({@code negative=next}) or the closest other post
 * ({@code negative=hardest}). A term counts only when its three embeddings are present.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_LOSS, NModal.NAME + "=" + TripletLoss.NAME,
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=N-modal triplet loss, next-sample or hardest negatives"})
public final class TripletLoss implements MultimodalLoss {
    static final String NAME = "nmodal-triplet";
    private static final float EPS = 1e-12f;
    private static final float FAR = 1e4f;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossFunction create(Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("loss " + NAME, settings);
        float alpha = (float) s.number("alpha", 0.001);
        boolean hardest = s.choice("negative", "next", Set.of("next", "hardest")).equals("hardest");
        s.checkAllUsed();
        return batch -> perSample(batch, alpha, hardest);
    }

    static NDArray perSample(ModalityBatch batch, float alpha, boolean hardest) {
        List<String> ms = batch.modalities();
        long b = batch.size();
        NDManager manager = batch.presence().getManager();
        NDArray total = manager.zeros(new Shape(b));
        for (String a : ms) {
            NDArray ea = batch.embeddings(a);
            NDArray pa = batch.presence(a);
            for (String p : ms) {
                NDArray positive = distance(ea, batch.embeddings(p));
                NDArray valid = pa.mul(batch.presence(p));
                for (String q : ms) {
                    NDArray eq = batch.embeddings(q);
                    NDArray pq = batch.presence(q);
                    NDArray negative;
                    NDArray negPresent;
                    if (hardest) {
                        // pairwise distances, the post itself and absent posts pushed out of reach
                        NDArray d = pairwise(ea, eq);
                        NDArray excluded = manager.eye((int) b).add(pq.sub(1).neg().reshape(1, b)).clip(0, 1);
                        negative = d.add(excluded.mul(FAR)).min(new int[] {1});
                        negPresent = excluded.sum(new int[] {1}).lt(b).toType(pa.getDataType(), false);
                    } else {
                        negative = distance(ea, roll(eq));
                        negPresent = roll(pq.reshape(b, 1)).reshape(b);
                    }
                    NDArray term = Activation.softPlus(positive.sub(negative));
                    total = total.add(term.mul(valid).mul(negPresent));
                }
            }
        }
        return Tensors.mul(total, alpha);
    }

    /** Row i gets row i+1 (the last gets the first). */
    private static NDArray roll(NDArray x) {
        return x.get("1:").concat(x.get("0:1"), 0);
    }

    private static NDArray distance(NDArray x, NDArray y) {
        return x.sub(y).square().sum(new int[] {1}).add(EPS).sqrt();
    }

    private static NDArray pairwise(NDArray x, NDArray y) {
        NDArray xx = x.square().sum(new int[] {1}, true);
        NDArray yy = y.square().sum(new int[] {1}, true).transpose();
        return xx.add(yy).sub(Tensors.mul(x.matMul(y.transpose()), 2)).clip(0, Float.MAX_VALUE).add(EPS).sqrt();
    }
}
