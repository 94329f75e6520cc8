package org.nmodal.classify.internal;

import de.bwaldvogel.liblinear.SolverType;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.component.NModalClassifier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Logistic regression (LIBLINEAR, L2-regularised), on standardised features. */
@Component(service = DownstreamClassifier.class, configurationPid = "nmodal.classify.logistic")
@NModalClassifier(name = "logistic", licence = "BSD-3-Clause", description = "Logistic regression (LIBLINEAR, L2-regularised)")
@Designate(ocd = LogisticRegression.Config.class)
public final class LogisticRegression extends LiblinearClassifier {
    /** Configuration, PID {@code nmodal.classify.logistic}. */
    @ObjectClassDefinition(name = "Logistic regression (LIBLINEAR, L2-regularised)")
    public @interface Config {
        /** Inverse regularisation strength; 0 chooses it by cross-validation. */
        @AttributeDefinition(description = "Cost C: larger fits the training data more closely; 0 chooses it by "
                + "3-fold cross-validation on the training rows")
        double c() default 0;
    }

    /** Creates the classifier. */
    @Activate
    public LogisticRegression(Config config) {
        this(config.c());
    }

    LogisticRegression(double c) {
        super("logistic", SolverType.L2R_LR, c);
    }
}
