package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.Evaluation;
import org.nmodal.api.classify.TrainedClassifier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** The four downstream classifiers are services and learn inside the framework (XGBoost's native included). */
@ExtendWith({ServiceExtension.class, BundleContextExtension.class})
class ClassifierTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(filter = "(nmodal.name=random-forest)", timeout = 30_000)
    DownstreamClassifier forestReady;

    @Test
    void allFourLearnASimpleProblem() throws Exception {
        Random r = new Random(4);
        int n = 400;
        float[][] x = new float[n][5];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 5; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j < 2 ? 2.5 * y[i] : 0));
            }
        }
        Map<String, Double> accuracy = new java.util.TreeMap<>();
        for (String name : List.of("gaussian-nb", "random-forest", "linear-svm", "logistic")) {
            var found = context.getServiceReferences(DownstreamClassifier.class, "(nmodal.name=" + name + ")");
            assertEquals(1, found.size(), name);
            DownstreamClassifier c = context.getService(found.iterator().next());
            TrainedClassifier model = c.train(java.util.Arrays.copyOf(x, 300), java.util.Arrays.copyOf(y, 300), 2, 1);
            int[] predicted = new int[100];
            for (int i = 0; i < 100; i++) {
                predicted[i] = model.predict(x[300 + i]);
            }
            accuracy.put(name, Evaluation.of(java.util.Arrays.copyOfRange(y, 300, 400), predicted, 2).accuracy());
        }
        accuracy.forEach((name, a) -> assertTrue(a > 0.85, name + " held-out accuracy " + a));
    }
}
