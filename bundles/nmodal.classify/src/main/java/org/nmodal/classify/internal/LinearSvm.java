package org.nmodal.classify.internal;

import de.bwaldvogel.liblinear.SolverType;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.component.NModalClassifier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Linear SVM (LIBLINEAR, L2-regularised L2-loss), on standardised features. */
@Component(service = DownstreamClassifier.class, configurationPid = "nmodal.classify.linear_svm")
@NModalClassifier(name = "linear-svm", licence = "BSD-3-Clause",
        description = "Linear SVM (LIBLINEAR, L2-regularised L2-loss)")
@Designate(ocd = LinearSvm.Config.class)
public final class LinearSvm extends LiblinearClassifier {
    /** Configuration, PID {@code nmodal.classify.linear_svm}. */
    @ObjectClassDefinition(name = "Linear SVM (LIBLINEAR, L2-regularised L2-loss)")
    public @interface Config {
        /** Inverse regularisation strength; 0 chooses it by cross-validation. */
        @AttributeDefinition(description = "Cost C: larger fits the training data more closely; 0 chooses it by "
                + "3-fold cross-validation on the training rows")
        double c() default 0;
    }

    /** Creates the classifier. */
    @Activate
    public LinearSvm(Config config) {
        this(config.c());
    }

    LinearSvm(double c) {
        super("linear-svm", SolverType.L2R_L2LOSS_SVC, c);
    }
}
