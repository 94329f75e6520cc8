package org.nmodal.loss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.djl.Tensors;

/**
 * A loss summed over every unordered pair of modalities. A pair only sees the posts that have both modalities;
 * each pair's per-post terms are scaled by B/|S| so that the batch mean of the result is
 * {@code sum over pairs of (mean over present posts) / (2 * pairs)}, the trimodal-CLIP normalisation.
 */
abstract class PairwiseLoss implements LossFunction {
    /** Added to logits of absent posts so softmax gives them no weight. */
    static final float ABSENT = -1e4f;

    @Override
    public NDArray perSample(ModalityBatch batch) {
        List<String> modalities = batch.modalities();
        long b = batch.size();
        NDManager manager = batch.presence().getManager();
        NDArray total = manager.zeros(new ai.djl.ndarray.types.Shape(b));
        int pairs = 0;
        for (int i = 0; i < modalities.size(); i++) {
            for (int j = i + 1; j < modalities.size(); j++) {
                NDArray both = batch.presence(modalities.get(i)).mul(batch.presence(modalities.get(j)));
                float count = both.sum().getFloat();
                if (count < 2) {
                    continue; // a pair needs two posts to contrast
                }
                NDArray penalty = both.sub(1).mul(-ABSENT).reshape(1, b);
                NDArray terms = pairTerms(batch.embeddings(modalities.get(i)), batch.embeddings(modalities.get(j)),
                        penalty);
                total = total.add(Tensors.mul(terms.mul(both), b / count));
                pairs++;
            }
        }
        return pairs == 0 ? total : Tensors.div(total, 2f * pairs);
    }

    /**
     * Per-post loss of one pair in both directions ({@code CE_row + CE_col}); absent posts may hold anything.
     *
     * @param a {@code B x D} embeddings of the first modality
     * @param b {@code B x D} embeddings of the second modality
     * @param penalty {@code 1 x B}: 0 for posts present in both, a large negative number otherwise
     */
    abstract NDArray pairTerms(NDArray a, NDArray b, NDArray penalty);

    /** {@code -sum_j targets_ij * log softmax(logits_i)_j}, per row. */
    static NDArray softCrossEntropy(NDArray logits, NDArray targets) {
        return targets.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
    }
}
