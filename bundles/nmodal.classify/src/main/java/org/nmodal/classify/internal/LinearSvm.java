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

/** Linear SVM (LIBLINEAR, L2-regularised L2-loss), on standardised features. */
@Component(configurationPid = "nmodal.classify.linear-svm", property = {
        NModal.KIND + "=" + NModal.KIND_CLASSIFIER, NModal.NAME + "=linear-svm", NModal.LICENCE + "=BSD-3-Clause",
        NModal.DESCRIPTION + "=Linear SVM (LIBLINEAR, L2-regularised L2-loss)"})
@Designate(ocd = LinearSvm.Config.class)
public final class LinearSvm implements DownstreamClassifier {
    /** Configuration, PID {@code nmodal.classify.linear-svm}. */
    @ObjectClassDefinition(name = "Linear SVM (LIBLINEAR, L2-regularised L2-loss)")
    public @interface Config {
        /** Inverse regularisation strength; 0 chooses it by cross-validation. */
        @AttributeDefinition(description = "Cost C: larger fits the training data more closely; 0 chooses it by "
                + "3-fold cross-validation on the training rows")
        double c() default 0;
    }

    private final double c;

    /** Creates the classifier. */
    @Activate
    public LinearSvm(Config config) {
        this(config.c());
    }

    LinearSvm(double c) {
        if (!(c >= 0)) {
            throw new IllegalArgumentException("linear-svm: c must be positive, or 0 to choose it by cross-validation, was "
                    + c);
        }
        this.c = c;
    }

    @Override
    public String name() {
        return "linear-svm";
    }

    @Override
    public TrainedClassifier train(float[][] features, int[] labels, int classes, long seed) {
        return LiblinearModel.train(features, labels, classes, SolverType.L2R_L2LOSS_SVC_DUAL, c, seed);
    }

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        return LiblinearModel.load(in);
    }
}
