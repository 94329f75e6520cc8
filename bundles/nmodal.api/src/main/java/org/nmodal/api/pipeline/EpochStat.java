package org.nmodal.api.pipeline;

/**
 * One training epoch's numbers.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean loss over the epoch's training batches
 * @param devLoss loss on the dev posts after the epoch
 * @param lr learning rate at the end of the epoch
 * @param seconds wall time of the epoch
 */
public record EpochStat(int epoch, double trainLoss, double devLoss, double lr, double seconds) {}
