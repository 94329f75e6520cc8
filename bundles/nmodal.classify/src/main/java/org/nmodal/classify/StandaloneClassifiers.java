package org.nmodal.classify;

import java.util.List;
import java.util.Map;
import org.nmodal.api.TypedConfig;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.classify.internal.GaussianNaiveBayes;
import org.nmodal.classify.internal.LinearSvm;
import org.nmodal.classify.internal.LogisticRegression;
import org.nmodal.classify.internal.RandomForest;

/**
 * The classifiers for code that runs without an OSGi framework (tests, tools, embedding): the same objects the DS
 * components are, configured with the keys of their PIDs. Inside OSGi, look the {@code DownstreamClassifier}
 * services up by name instead.
 */
public final class StandaloneClassifiers {
    private StandaloneClassifiers() {}

    /** The names known here. */
    public static final List<String> NAMES = List.of("gaussian-nb", "logistic", "linear-svm", "random-forest");

    /**
     * A classifier by its pipeline name.
     *
     * @param settings the keys of its PID (e.g. {@code c}, {@code trees}); missing ones take their defaults
     */
    public static DownstreamClassifier byName(String name, Map<String, ?> settings) {
        return switch (name) {
            case "gaussian-nb" -> new GaussianNaiveBayes();
            case "logistic" -> new LogisticRegression(TypedConfig.of(LogisticRegression.Config.class, settings));
            case "linear-svm" -> new LinearSvm(TypedConfig.of(LinearSvm.Config.class, settings));
            case "random-forest" -> new RandomForest(TypedConfig.of(RandomForest.Config.class, settings));
            default -> throw new IllegalArgumentException("unknown classifier '" + name + "' (known: " + NAMES + ")");
        };
    }
}
