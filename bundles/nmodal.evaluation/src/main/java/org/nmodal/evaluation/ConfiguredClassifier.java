package org.nmodal.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;

/**
 * A classifier service with a pipeline's settings for it ({@code "classifiers": [{"name": "random-forest", "trees":
 * 300}]}): every fit passes them on, so the evaluation and serving code train it as any other classifier.
 */
public record ConfiguredClassifier(DownstreamClassifier classifier, Map<String, Object> settings)
        implements DownstreamClassifier {
    /** The classifier itself when there are no settings, else one that passes them on. */
    public static DownstreamClassifier of(DownstreamClassifier classifier, Map<String, Object> settings) {
        return settings == null || settings.isEmpty() ? classifier : new ConfiguredClassifier(classifier, settings);
    }

    @Override
    public String name() {
        return classifier.name();
    }

    @Override
    public TrainedClassifier train(float[][] features, int[] labels, int classes, long seed) {
        return classifier.train(features, labels, classes, seed, settings);
    }

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        return classifier.load(in);
    }
}
