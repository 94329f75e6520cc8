package org.nmodal.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nmodal.fusion.internal.Fusions;

class GatedFusionTest {
    @Test
    void gatesLearnToFavourTheInformativeModality() {
        Random r = new Random(2);
        int n = 400;
        int dim = 8;
        float[][] signal = new float[n][dim];
        float[][] noise = new float[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < dim; j++) {
                signal[i][j] = (float) (r.nextGaussian() * 0.5 + (j == 0 ? 2 * y[i] - 1 : 0));
                noise[i][j] = (float) (r.nextGaussian() * 3);
            }
        }
        Map<String, float[][]> aligned = Map.of("a", signal, "b", noise);
        List<String> subset = List.of("a", "b");
        int[] rows = IntStream.range(0, n).toArray();
        Engine engine = Engine.getEngine("PyTorch");
        float[][] mean = Evaluator.fuse(engine, aligned, subset, dim, new Fusions.Mean(), rows, y, 2, 1);
        float[][] gated = Evaluator.fuse(engine, aligned, subset, dim, new Fusions.Gated(), rows, y, 2, 1);
        double sMean = separation(mean, y);
        double sGated = separation(gated, y);
        assertTrue(sGated > 1.5 * sMean, "class separation, gated " + sGated + " vs mean " + sMean);
    }

    /** Distance of the class means on feature 0 over the pooled spread of feature 0. */
    private static double separation(float[][] x, int[] y) {
        double[] sum = new double[2];
        double[] sq = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < x.length; i++) {
            sum[y[i]] += x[i][0];
            sq[y[i]] += x[i][0] * x[i][0];
            count[y[i]]++;
        }
        double m0 = sum[0] / count[0];
        double m1 = sum[1] / count[1];
        double v = (sq[0] / count[0] - m0 * m0 + sq[1] / count[1] - m1 * m1) / 2;
        return Math.abs(m1 - m0) / Math.sqrt(v);
    }
}
