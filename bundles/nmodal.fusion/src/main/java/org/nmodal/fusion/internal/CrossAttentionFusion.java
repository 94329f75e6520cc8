package org.nmodal.fusion.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.NModal;
import org.nmodal.api.Settings;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.osgi.service.component.annotations.Component;

/**
 * Mid-fusion from the audio-enhanced vision-language paper: the audio embedding (the query modality) attends to the
 * embeddings of the other modalities present, scaled dot-product attention with learned projections,
 * {@code a' = a + Wo sum_m softmax_m((Wq a)(Wk e_m) / sqrt(d)) Wv e_m}. The output is the other modalities'
 * embeddings followed by {@code a'} (zeros for whatever a post lacks); {@code Wo} starts at zero, so before training
 * it is exactly the concatenation, and training can only add what the attention finds. A subset without the query
 * modality is fused as the concatenation. Setting: {@code query} (default {@code audio}).
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_FUSION, NModal.NAME + "=cross-attention",
        NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Concatenation in which audio attends to the vision-language embeddings (learned attention, mid-fusion)"})
public final class CrossAttentionFusion implements FusionStrategy {
    @Override
    public String name() {
        return "cross-attention";
    }

    @Override
    public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
        Settings s = new Settings("fusion cross-attention", settings);
        String query = s.text("query", "audio");
        s.checkAllUsed();
        List<String> others = modalities.stream().filter(m -> !m.equals(query)).toList();
        if (!modalities.contains(query) || others.isEmpty()) {
            return new Fusions.Concat().create(modalities, dimension, Map.of(), manager);
        }
        Random r = new Random(17);
        NDArray wq = param(manager, gaussian(r, dimension, 1 / Math.sqrt(dimension)), dimension);
        NDArray wk = param(manager, gaussian(r, dimension, 1 / Math.sqrt(dimension)), dimension);
        float[] eye = new float[dimension * dimension];
        for (int i = 0; i < dimension; i++) {
            eye[i * dimension + i] = 1;
        }
        NDArray wv = param(manager, eye, dimension);
        NDArray wo = param(manager, new float[dimension * dimension], dimension);
        int qi = modalities.indexOf(query);
        Fusion rest = new Fusions.Concat().create(others, dimension, Map.of(), manager);
        return new Fusion() {
            @Override
            public int outputDimension() {
                return modalities.size() * dimension;
            }

            @Override
            public NDArray fuse(ModalityBatch batch) {
                NDArray audio = batch.embeddings(query);
                // a scalar kept in the batch's manager: autograd holds on to it until backward
                NDArray scale = audio.getManager().create(1f / (float) Math.sqrt(dimension));
                NDArray q = audio.matMul(wq).mul(scale);
                List<NDArray> scores = new ArrayList<>();
                List<NDArray> values = new ArrayList<>();
                List<NDArray> present = new ArrayList<>();
                for (String m : others) {
                    NDArray e = batch.embeddings(m);
                    NDArray p = batch.presence(m).reshape(-1, 1);
                    NDArray score = q.mul(e.matMul(wk)).sum(new int[] {1}, true);
                    scores.add(score.add(p.sub(1).mul(1e4f)));
                    values.add(e.matMul(wv).expandDims(1));
                    present.add(p);
                }
                NDArray mask = NDArrays.concat(new NDList(present), 1);
                NDArray attention = NDArrays.concat(new NDList(scores), 1).softmax(1).mul(mask);
                NDArray context = attention.expandDims(2).mul(NDArrays.concat(new NDList(values), 1)).sum(new int[] {1});
                NDArray enriched = audio.add(context.matMul(wo)).mul(batch.presence().get(":, " + qi).reshape(-1, 1));
                return rest.fuse(batch).concat(enriched, 1);
            }

            @Override
            public List<NDArray> parameters() {
                return List.of(wq, wk, wv, wo);
            }
        };
    }

    private static float[] gaussian(Random r, int d, double sd) {
        float[] v = new float[d * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }

    private static NDArray param(NDManager manager, float[] values, int d) {
        NDArray a = manager.create(values, new Shape(d, d));
        a.setRequiresGradient(true);
        return a;
    }
}
