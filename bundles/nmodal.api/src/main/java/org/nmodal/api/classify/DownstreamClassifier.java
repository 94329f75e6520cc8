package org.nmodal.api.classify;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

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

    /**
     * Checks a pipeline's settings for this classifier (the fields of a {@code classifiers} entry but {@code name};
     * numbers as doubles) before any work: an {@link IllegalArgumentException} names a bad one. None by default.
     *
     * @since 1.1
     */
    default void checkSettings(Map<String, ?> settings) {
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("classifier '" + name() + "' takes no settings (got "
                    + String.join(", ", new java.util.TreeSet<>(settings.keySet())) + ")");
        }
    }

    /**
     * Trains with a pipeline's settings (over the classifier's configuration); by default checks them and trains as
     * {@link #train(float[][], int[], int, long)}, so older classifiers keep working.
     *
     * @since 1.1
     */
    default TrainedClassifier train(float[][] features, int[] labels, int classes, long seed, Map<String, ?> settings) {
        checkSettings(settings);
        return train(features, labels, classes, seed);
    }

    /** Reads a model written by {@link TrainedClassifier#save}. */
    TrainedClassifier load(InputStream in) throws IOException;
}
