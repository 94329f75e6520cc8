package org.nmodal.api.pipeline;

import org.osgi.annotation.versioning.ConsumerType;

/** Told what a run does while it runs: progress lines and each epoch. */
@ConsumerType
public interface RunListener {
    /** One progress line (also written to the run's run.log). */
    void line(String line);

    /** After every training epoch; {@code etaSeconds} estimates the rest of the training. */
    default void epoch(EpochStat epoch, int maxEpochs, double etaSeconds) {}
}
