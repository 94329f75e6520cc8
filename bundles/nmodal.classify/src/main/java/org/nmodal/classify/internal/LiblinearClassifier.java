package org.nmodal.classify.internal;

import de.bwaldvogel.liblinear.SolverType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;

/** A LIBLINEAR classifier family: one solver, a fixed cost or (0) one chosen by cross-validation. */
abstract class LiblinearClassifier implements DownstreamClassifier {
    private final String name;
    private final SolverType solver;
    private final double c;

    LiblinearClassifier(String name, SolverType solver, double c) {
        if (!(c >= 0)) {
            throw new IllegalArgumentException(name + ": c must be positive, or 0 to choose it by cross-validation, was "
                    + c);
        }
        this.name = name;
        this.solver = solver;
        this.c = c;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TrainedClassifier train(float[][] features, int[] labels, int classes, long seed) {
        return LiblinearModel.train(features, labels, classes, solver, c, seed);
    }

    /** A pipeline may set {@code c} (0: chosen by cross-validation), over the PID's. */
    @Override
    public void checkSettings(Map<String, ?> settings) {
        Settings.check(name, settings, Map.of("c", 0.0), false);
    }

    @Override
    public TrainedClassifier train(float[][] features, int[] labels, int classes, long seed, Map<String, ?> settings) {
        checkSettings(settings);
        return LiblinearModel.train(features, labels, classes, solver, Settings.number(settings, "c", c), seed);
    }

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        return LiblinearModel.load(in);
    }
}
