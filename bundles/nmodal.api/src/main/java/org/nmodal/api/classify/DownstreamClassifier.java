package org.nmodal.api.classify;

import java.io.IOException;
import java.io.InputStream;

/**
 * A classifier family (Naive Bayes, random forest, linear SVM, ...), registered with
 * {@code nmodal.kind=classifier} and {@code nmodal.name}. The service trains and loads models; models do the
 * predicting.
 */
public interface DownstreamClassifier {
    /** Name used in pipeline files. */
    String name();

    /**
     * Trains a model.
     *
     * @param features {@code n x d} training vectors
     * @param labels class index per row, in {@code [0, classes)}
     * @param classes number of classes
     * @param seed seed for any randomness, so runs repeat
     */
    TrainedClassifier train(float[][] features, int[] labels, int classes, long seed);

    /** Reads a model written by {@link TrainedClassifier#save}. */
    TrainedClassifier load(InputStream in) throws IOException;
}
