package org.nmodal.api.pipeline;

import java.util.List;

/**
 * What the pipeline runner is doing or did last.
 *
 * @param state one line ("idle", "running mosi: epoch 3/30", ...)
 * @param pipeline the id of the pipeline being (or last) trained, or null before the first run
 * @param maxEpochs that run's epoch budget
 * @param epochs that run's epochs so far
 */
public record RunStatus(String state, String pipeline, int maxEpochs, List<EpochStat> epochs) {
    /** Copies the list. */
    public RunStatus {
        epochs = List.copyOf(epochs);
    }
}
