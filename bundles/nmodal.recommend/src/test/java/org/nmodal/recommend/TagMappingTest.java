package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TagMappingTest {
    @Test
    void recoversAKnownLinearMap() {
        Random r = new Random(3);
        int n = 1200;
        int in = 8;
        int out = 4;
        double[][] a = new double[out][in];
        for (double[] row : a) {
            for (int j = 0; j < in; j++) {
                row[j] = r.nextGaussian() * 0.5;
            }
        }
        float[][] x = new float[n][in];
        float[][] y = new float[n][out];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) {
                x[i][j] = (float) (r.nextGaussian() * 0.5);
            }
            for (int c = 0; c < out; c++) {
                for (int j = 0; j < in; j++) {
                    y[i][c] += (float) (a[c][j] * x[i][j]);
                }
            }
        }
        int[] weights = new int[n];
        Arrays.fill(weights, 1);
        int[] train = IntStream.range(0, 800).toArray();
        int[] dev = IntStream.range(800, 1000).toArray();
        TagMapping.Settings s = new TagMapping.Settings(32, 150, 0.01, 0, 64, 5);
        TagMapping m = TagMapping.fit(Engine.getEngine("PyTorch"), x, y, weights, train, dev, s);
        float[][] test = Arrays.copyOfRange(x, 1000, n);
        float[][] predicted = m.map(test);
        double err = 0;
        double var = 0;
        for (int i = 0; i < test.length; i++) {
            for (int c = 0; c < out; c++) {
                double d = predicted[i][c] - y[1000 + i][c];
                err += d * d;
                var += y[1000 + i][c] * y[1000 + i][c];
            }
        }
        // stated bar: the held-out posts' squared error is under 2 % of the targets' energy (R^2 > 0.98)
        assertTrue(err / var < 0.02, "relative squared error " + err / var);
        // seeded: the same fit again gives the same mapping. The seed fixes the initial weights and the batch order;
        // PyTorch's multi-threaded CPU kernels do not promise the same summation order from run to run, and 150
        // epochs carry such last-bit differences to about 1e-4 (seen in a CI run), so the check allows 1e-3
        float[][] again = TagMapping.fit(Engine.getEngine("PyTorch"), x, y, weights, train, dev, s).map(test);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(predicted[i], again[i], 1e-3f);
        }
    }
}
