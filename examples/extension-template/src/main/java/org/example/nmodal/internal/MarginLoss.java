package org.example.nmodal.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.nmodal.api.component.NModalLoss;
import org.nmodal.api.Settings;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.api.loss.MultimodalLoss;
import org.osgi.service.component.annotations.Component;

/**
 * A loss ({@code example-margin}): for every pair of modalities a post has, its two embeddings must be more similar
 * (cosine) than the first one is to the next post's second one, by a margin:
 * {@code max(0, margin - cos(a_i, b_i) + cos(a_i, b_{i+1}))}. Setting: {@code margin} (default 0.2).
 */
@Component
@NModalLoss(name = "example-margin", licence = "Apache-2.0",
        description = "Pairwise cosine margin loss (example extension)")
public final class MarginLoss implements MultimodalLoss {
    @Override
    public String name() {
        return "example-margin";
    }

    @Override
    public LossFunction create(Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("loss example-margin", settings);
        float margin = (float) s.number("margin", 0.2);
        s.checkAllUsed(); // a misspelt setting is an error, not silently ignored
        return batch -> perSample(batch, margin);
    }

    private static NDArray perSample(ModalityBatch batch, float margin) {
        NDManager m = batch.presence().getManager();
        // scalars as arrays of the batch's manager: autograd keeps them until backward
        NDArray marginArray = m.create(margin);
        NDArray zero = m.create(0f);
        NDArray tiny = m.create(1e-6f);
        List<String> modalities = batch.modalities();
        NDArray total = m.zeros(new ai.djl.ndarray.types.Shape(batch.size()));
        NDArray pairs = m.zeros(new ai.djl.ndarray.types.Shape(batch.size()));
        for (int i = 0; i < modalities.size(); i++) {
            for (int j = i + 1; j < modalities.size(); j++) {
                NDArray a = unit(batch.embeddings(modalities.get(i)), tiny);
                NDArray b = unit(batch.embeddings(modalities.get(j)), tiny);
                NDArray both = batch.presence(modalities.get(i)).mul(batch.presence(modalities.get(j)));
                NDArray positive = a.mul(b).sum(new int[] {1});
                NDArray negative = a.mul(b.get("1:").concat(b.get(":1"), 0)).sum(new int[] {1});
                NDArray hinge = marginArray.sub(positive).add(negative).maximum(zero);
                total = total.add(hinge.mul(both));
                pairs = pairs.add(both);
            }
        }
        return total.div(pairs.maximum(m.create(1f)));
    }

    private static NDArray unit(NDArray x, NDArray tiny) {
        return x.div(x.norm(new int[] {1}, true).add(tiny));
    }
}
