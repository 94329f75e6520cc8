package org.nmodal.api.classify;

import java.io.IOException;
import java.io.OutputStream;

/** A trained model; thread-safe for prediction. */
public interface TrainedClassifier {
    /** Number of classes. */
    int classes();

    /** Class probabilities for one vector (they sum to 1). */
    double[] probabilities(float[] features);

    /** Class probabilities for many vectors; implementations override it when a batch is cheaper. */
    default double[][] probabilities(float[][] features) {
        double[][] out = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            out[i] = probabilities(features[i]);
        }
        return out;
    }

    /** The most probable class. */
    default int predict(float[] features) {
        double[] p = probabilities(features);
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Writes the model so that {@link DownstreamClassifier#load} can read it. */
    void save(OutputStream out) throws IOException;
}
