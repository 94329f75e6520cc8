package org.nmodal.api.loss;

import ai.djl.ndarray.NDArray;
import org.nmodal.api.batch.ModalityBatch;

/**
 * A {@link Reweighting} whose parameters learn from a small clean meta set, Meta-Weight-Net style, rather than from
 * the weighted loss itself (which would only push weight onto the easiest posts). The trainer owns the model, so it
 * takes the look-ahead step and measures, for every post of the batch, how well that post's gradient agrees with the
 * meta gradient; the reweighting turns that into an update of its own parameters:
 *
 * <ol>
 *   <li>the trainer takes a virtual SGD step {@code θ' = θ − α ∇θ Σ_i w_i L_i(θ)} with the current weights;</li>
 *   <li>computes the meta gradient {@code g = ∇ L_meta(θ')} on a clean meta batch through the virtual model, with
 *       the objective {@link #metaLoss} defines;</li>
 *   <li>hands {@link #metaUpdate} each post's {@code a_i = g · ∇θ L_i(θ)}: since
 *       {@code ∂L_meta(θ')/∂w_i = −α a_i}, the weights' parameters descend {@code −α Σ_i a_i w_i(φ)};</li>
 *   <li>then takes the real step with {@link #weights} from the updated parameters.</li>
 * </ol>
 */
public interface MetaReweighting extends Reweighting {
    /** The step size α of the virtual SGD step. */
    double virtualStep();

    /** How many dev posts form the clean meta set (fewer when dev has fewer); never test posts. */
    int metaPosts();

    /**
     * The meta objective on a clean meta batch, a scalar to descend.
     *
     * @param batch the meta batch's embeddings through the virtually updated model
     * @param perSampleLoss the training loss's per-post values on that batch
     */
    NDArray metaLoss(ModalityBatch batch, NDArray perSampleLoss);

    /**
     * Updates the parameters from one meta step.
     *
     * @param perSampleLoss {@code B} losses of the batch at {@code θ} (values only, no gradient needed)
     * @param agreement {@code B} values {@code ∇L_meta(θ') · ∇L_i(θ)}: positive where a post's gradient helps the
     *     clean meta set
     */
    void metaUpdate(NDArray perSampleLoss, NDArray agreement);

    /** The unnormalised weight of each post, in [0, 1], without gradient: what a report shows per post. */
    NDArray rawWeights(NDArray perSampleLoss);

    /**
     * What the weights are computed from for a batch of training posts, called once per step before the meta step:
     * by default the losses themselves; a reweighting may keep a history per post (for example a moving average of
     * each post's loss over the epochs) and return that instead. The result is what {@link #weights},
     * {@link #rawWeights} and {@link #metaUpdate} then receive for this batch.
     *
     * @param rows the posts' row numbers in the training data, stable across epochs
     * @param perSampleLoss the batch's {@code B} losses at {@code θ}, values only
     * @param epoch the epoch, from 1
     * @since 1.2
     */
    default NDArray input(int[] rows, NDArray perSampleLoss, int epoch) {
        return perSampleLoss;
    }
}
