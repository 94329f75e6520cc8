package org.nmodal.classify.internal;

import de.bwaldvogel.liblinear.SolverType;
import java.io.IOException;
import java.io.InputStream;
import org.nmodal.api.NModal;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Logistic regression (LIBLINEAR, L2-regularised), on standardised features. */
@Component(configurationPid = "nmodal.classify.logistic", property = {
        NModal.KIND + "=" + NModal.KIND_CLASSIFIER, NModal.NAME + "=logistic", NModal.LICENCE + "=BSD-3-Clause",
        NModal.DESCRIPTION + "=Logistic regression (LIBLINEAR, L2-regularised)"})
@Designate(ocd = LogisticRegression.Config.class)
public final class LogisticRegression implements DownstreamClassifier {
    /** Configuration, PID {@code nmodal.classify.logistic}. */
    @ObjectClassDefinition(name = "Logistic regression (LIBLINEAR, L2-regularised)")
    public @interface Config {
        /** Inverse regularisation strength; 0 chooses it by cross-validation. */
        @AttributeDefinition(description = "Cost C: larger fits the training data more closely; 0 chooses it by "
                + "3-fold cross-validation on the training rows")
        double c() default 0;
    }

    private final double c;

    /** Creates the classifier. */
    @Activate
    public LogisticRegression(Config config) {
        this(config.c());
    }

    LogisticRegression(double c) {
        if (!(c >= 0)) {
            throw new IllegalArgumentException("logistic: c must be positive, or 0 to choose it by cross-validation, was "
                    + c);
        }
        this.c = c;
    }

    @Override
    public String name() {
        return "logistic";
    }

    @Override
    public TrainedClassifier train(float[][] features, int[] labels, int classes, long seed) {
        return LiblinearModel.train(features, labels, classes, SolverType.L2R_LR, c, seed);
    }

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        return LiblinearModel.load(in);
    }
}
