package org.nmodal.classify.internal;

import de.bwaldvogel.liblinear.SolverType;
import java.io.IOException;
import java.io.InputStream;
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

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        return LiblinearModel.load(in);
    }
}
