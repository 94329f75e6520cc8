package org.nmodal.api.fusion;

/**
 * How a {@link SupervisedFusion} is trained: AdamW with this learning rate and weight decay, mini-batches of
 * {@code batch} posts, at most {@code epochs} epochs, stopped after {@code patience} epochs without a better
 * held-out loss, with {@code holdout} of the fitting posts held out to decide that.
 *
 * @param epochs most epochs, at least 1
 * @param batch posts per step, at least 2
 * @param lr learning rate, greater than 0
 * @param weightDecay decoupled weight decay of the matrices (0 for none)
 * @param patience epochs without a better held-out loss before stopping, at least 1
 * @param holdout fraction of the fitting posts held out for early stopping, in (0, 0.5]
 */
public record FusionTraining(int epochs, int batch, double lr, double weightDecay, int patience, double holdout) {
    /** Checks the ranges. */
    public FusionTraining {
        if (epochs < 1 || batch < 2 || !(lr > 0) || weightDecay < 0 || patience < 1 || !(holdout > 0)
                || holdout > 0.5) {
            throw new IllegalArgumentException("fusion training needs epochs >= 1, batch >= 2, lr > 0, "
                    + "weightDecay >= 0, patience >= 1 and 0 < holdout <= 0.5");
        }
    }
}
