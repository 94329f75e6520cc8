package org.nmodal.fusion.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.nmodal.api.NModal;
import org.nmodal.api.Settings;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.osgi.service.component.annotations.Component;

/** The built-in fusion strategies, one DS component each. */
public final class Fusions {
    private Fusions() {}

    /** Concatenation in batch order; a missing modality contributes zeros (so its slot says "absent"). */
    @Component(property = {NModal.KIND + "=" + NModal.KIND_FUSION, NModal.NAME + "=concat",
            NModal.LICENCE + "=Apache-2.0", NModal.DESCRIPTION + "=Concatenation, zeros for missing modalities"})
    public static final class Concat implements FusionStrategy {
        @Override
        public String name() {
            return "concat";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            new Settings("fusion concat", settings).checkAllUsed();
            return new Fusion() {
                @Override
                public int outputDimension() {
                    return modalities.size() * dimension;
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    NDArray out = null;
                    for (String m : modalities) {
                        NDArray part = batch.embeddings(m).mul(batch.presence(m).reshape(-1, 1));
                        out = out == null ? part : out.concat(part, 1);
                    }
                    return out;
                }
            };
        }
    }

    /** Mean of the modalities present; a post with none gets zeros. */
    @Component(property = {NModal.KIND + "=" + NModal.KIND_FUSION, NModal.NAME + "=mean",
            NModal.LICENCE + "=Apache-2.0", NModal.DESCRIPTION + "=Mean over the modalities present"})
    public static final class Mean implements FusionStrategy {
        @Override
        public String name() {
            return "mean";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            new Settings("fusion mean", settings).checkAllUsed();
            return new Fusion() {
                @Override
                public int outputDimension() {
                    return dimension;
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    return weightedSum(batch, modalities, batch.presence());
                }
            };
        }
    }

    /**
     * A learned weight per modality: {@code fused = sum_m w_m e_m} with {@code w = softmax(g)} over the modalities the
     * post has. It starts as the mean (g = 0) and is trained with the rest of the pipeline.
     */
    @Component(property = {NModal.KIND + "=" + NModal.KIND_FUSION, NModal.NAME + "=gated",
            NModal.LICENCE + "=Apache-2.0", NModal.DESCRIPTION + "=Learned per-modality weights over those present"})
    public static final class Gated implements FusionStrategy {
        @Override
        public String name() {
            return "gated";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            new Settings("fusion gated", settings).checkAllUsed();
            NDArray gates = manager.zeros(new Shape(modalities.size()));
            gates.setRequiresGradient(true);
            return new Fusion() {
                @Override
                public int outputDimension() {
                    return dimension;
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    NDArray presence = batch.presence();
                    NDArray logits = gates.reshape(1, -1).add(presence.sub(1).mul(1e4f));
                    NDArray w = logits.softmax(1).mul(presence);
                    return weightedSum(batch, modalities, w);
                }

                @Override
                public List<NDArray> parameters() {
                    return List.of(gates);
                }
            };
        }
    }

    /** {@code sum_m w[:, m] e_m / max(sum_m w[:, m], tiny)}: weights need not be normalised. */
    static NDArray weightedSum(ModalityBatch batch, List<String> modalities, NDArray weights) {
        NDArray sum = null;
        for (int i = 0; i < modalities.size(); i++) {
            NDArray part = batch.embeddings(modalities.get(i)).mul(weights.get(":, " + i).reshape(-1, 1));
            sum = sum == null ? part : sum.add(part);
        }
        return sum.div(weights.sum(new int[] {1}, true).clip(1e-12f, Float.MAX_VALUE));
    }
}
