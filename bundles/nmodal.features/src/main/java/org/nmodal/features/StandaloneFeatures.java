package org.nmodal.features;

import org.nmodal.data.FeatureCache;
import org.nmodal.features.internal.FeatureExtraction;

/** Feature extraction without an OSGi framework (tests, embedding): the same guard and cache as the service. */
public final class StandaloneFeatures {
    private StandaloneFeatures() {}

    /** Guarded, cached extraction over {@code cache}; close its threads with {@link #close}. */
    public static Features extraction(FeatureCache cache) {
        return new FeatureExtraction(cache);
    }

    /** Stops the guard threads of an extraction made by {@link #extraction}. */
    public static void close(Features features) {
        if (features instanceof FeatureExtraction f) {
            f.close();
        }
    }
}
