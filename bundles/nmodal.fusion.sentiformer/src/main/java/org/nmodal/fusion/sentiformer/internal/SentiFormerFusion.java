package org.nmodal.fusion.sentiformer.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.nmodal.api.NModal;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.SupervisedFusion;
import org.nmodal.api.fusion.SupervisedFusionStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code sentiformer} fusion. With a task's labels (the platform trains it per task and modality subset on the
 * frozen, standardised features) it is SentiFormer's network ({@link SentiFormer}); without them (the aligned
 * embeddings, serving) it is the concatenation of the embeddings present, since relevance is learned only from labels.
 */
@Component(service = FusionStrategy.class, property = {NModal.KIND + "=" + NModal.KIND_FUSION, NModal.NAME + "=sentiformer",
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=SentiFormer: adaptive relevance learning (caption queries prompt and image) and a cross-transformer, trained with the labels"})
public final class SentiFormerFusion implements SupervisedFusionStrategy {
    @Override
    public String name() {
        return "sentiformer";
    }

    @Override
    public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
        SentiFormerSettings.read(settings);
        return new Fusion() {
            @Override
            public int outputDimension() {
                return modalities.size() * dimension;
            }

            @Override
            public NDArray fuse(ModalityBatch batch) {
                NDList parts = new NDList();
                for (String m : modalities) {
                    parts.add(batch.embeddings(m).mul(batch.presence(m).reshape(-1, 1)));
                }
                return NDArrays.concat(parts, 1);
            }
        };
    }

    @Override
    public SupervisedFusion createSupervised(FusionTask task, Map<String, ?> settings, NDManager manager) {
        return new SentiFormer(task, SentiFormerSettings.read(settings), manager);
    }
}
