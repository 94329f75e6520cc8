package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.nmodal.api.batch.ModalityBatch;

/** How far apart a post's own modalities are: the meta objective that asks only that true pairs meet. */
final class Alignment {
    private Alignment() {}

    /** {@code 1 − cos(u_i, v_i)} averaged over every pair of modalities and the posts that have both. */
    static NDArray meanAngle(ModalityBatch batch) {
        List<String> ms = batch.modalities();
        NDArray total = null;
        NDArray count = null;
        for (int i = 0; i < ms.size(); i++) {
            NDArray a = InfoNceLoss.normalize(batch.embeddings(ms.get(i)));
            for (int j = i + 1; j < ms.size(); j++) {
                NDArray b = InfoNceLoss.normalize(batch.embeddings(ms.get(j)));
                NDArray both = batch.presence(ms.get(i)).mul(batch.presence(ms.get(j)));
                NDArray gap = a.mul(b).sum(new int[] {1}).neg().add(1f).mul(both).sum();
                total = total == null ? gap : total.add(gap);
                count = count == null ? both.sum() : count.add(both.sum());
            }
        }
        if (total == null) {
            return batch.presence().sum().mul(0f);
        }
        return total.div(count.maximum(1f));
    }
}
