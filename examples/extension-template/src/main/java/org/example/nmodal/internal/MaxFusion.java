package org.example.nmodal.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.nmodal.api.component.NModalFusion;
import org.nmodal.api.Settings;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * A fusion ({@code example-max}): the element-wise maximum over the modalities a post has; a post with none gets
 * zeros. No parameters to learn.
 */
@Component
@NModalFusion(name = "example-max", licence = "Apache-2.0",
        description = "Element-wise max over present modalities (example)")
public final class MaxFusion implements FusionStrategy {
    @Override
    public String name() {
        return "example-max";
    }

    @Override
    public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
        new Settings("fusion example-max", settings).checkAllUsed();
        return new Fusion() {
            @Override
            public int outputDimension() {
                return dimension;
            }

            @Override
            public NDArray fuse(ModalityBatch batch) {
                NDArray best = null;
                for (String m : modalities) {
                    NDArray p = batch.presence(m).reshape(-1, 1);
                    // absent modalities sink far below anything present, so they never win the max
                    NDArray e = batch.embeddings(m).mul(p).add(p.sub(1).mul(1e4f));
                    best = best == null ? e : best.maximum(e);
                }
                NDArray any = batch.presence().max(new int[] {1}, true);
                return best.mul(any);
            }
        };
    }
}
