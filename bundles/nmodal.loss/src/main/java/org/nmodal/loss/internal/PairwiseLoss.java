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
        int m = modalities.size();
        long b = batch.size();
        NDManager manager = batch.presence().getManager();
        // the mask read once (not one device read per pair); each modality prepared once (not once per pair)
        float[] presence = batch.presence().toFloatArray();
        NDArray[] ready = new NDArray[m];
        for (int i = 0; i < m; i++) {
            ready[i] = prepare(batch.embeddings(modalities.get(i)));
        }
        begin(manager, b);
        NDArray total = manager.zeros(new ai.djl.ndarray.types.Shape(b));
        int pairs = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                int count = 0;
                for (int r = 0; r < b; r++) {
                    count += presence[r * m + i] * presence[r * m + j] > 0 ? 1 : 0;
                }
                if (count < 2) {
                    continue; // a pair needs two posts to contrast
                }
                if (count == b) {
                    // every post has both: no penalty, no mask, no rescaling (each would be exact arithmetic on 0 or 1)
                    total = total.add(pairTerms(i, j, ready[i], ready[j], null));
                } else {
                    NDArray both = batch.presence(modalities.get(i)).mul(batch.presence(modalities.get(j)));
                    NDArray penalty = both.sub(1).mul(-ABSENT).reshape(1, b);
                    NDArray terms = pairTerms(i, j, ready[i], ready[j], penalty);
                    total = total.add(Tensors.mul(terms.mul(both), (float) b / count));
                }
                pairs++;
            }
        }
        return pairs == 0 ? total : Tensors.div(total, 2f * pairs);
    }

    /** What a pair's terms start from, once per modality and batch (normalised embeddings, say); by default as is. */
    NDArray prepare(NDArray embeddings) {
        return embeddings;
    }

    /** Called once per batch before the pairs: per-batch values (an identity matrix, a clipped scale) go here. */
    void begin(NDManager manager, long batchSize) {}

    /**
     * Per-post loss of one pair in both directions ({@code CE_row + CE_col}); absent posts may hold anything.
     *
     * @param i index of the first modality in the batch
     * @param j index of the second modality
     * @param a {@code B x D} prepared embeddings of the first modality
     * @param b {@code B x D} prepared embeddings of the second modality
     * @param penalty {@code 1 x B}: 0 for posts present in both, a large negative number otherwise; null when every
     *     post has both
     */
    abstract NDArray pairTerms(int i, int j, NDArray a, NDArray b, NDArray penalty);

    /** {@code -sum_j targets_ij * log softmax(logits_i)_j}, per row. */
    static NDArray softCrossEntropy(NDArray logits, NDArray targets) {
        return targets.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
    }
}
