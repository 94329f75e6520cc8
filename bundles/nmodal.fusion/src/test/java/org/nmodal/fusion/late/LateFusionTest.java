package org.nmodal.fusion.late;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;

class LateFusionTest {
    /** Nearest class centroid, probabilities a softmax of the negative squared distances: small and exact. */
    static final class Centroids implements DownstreamClassifier {
        final List<Integer> fitted = new ArrayList<>();

        @Override
        public String name() {
            return "centroids";
        }

        @Override
        public TrainedClassifier train(float[][] x, int[] y, int classes, long seed) {
            fitted.add(x.length);
            double[][] mean = new double[classes][x[0].length];
            int[] n = new int[classes];
            for (int i = 0; i < x.length; i++) {
                n[y[i]]++;
                for (int d = 0; d < x[i].length; d++) {
                    mean[y[i]][d] += x[i][d];
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d < mean[c].length; d++) {
                    mean[c][d] /= Math.max(1, n[c]);
                }
            }
            return new TrainedClassifier() {
                @Override
                public int classes() {
                    return classes;
                }

                @Override
                public double[] probabilities(float[] v) {
                    double[] p = new double[classes];
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        double d2 = 0;
                        for (int d = 0; d < v.length; d++) {
                            d2 += (v[d] - mean[c][d]) * (v[d] - mean[c][d]);
                        }
                        p[c] = Math.exp(-d2);
                        sum += p[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        p[c] /= sum;
                    }
                    return p;
                }

                @Override
                public void save(OutputStream out) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public TrainedClassifier load(InputStream in) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void averagesTheModalitiesAPostHasAndFallsBackToTheMostFrequentClass() {
        double[][] a = {{0.9, 0.1}, {0.4, 0.6}, null, null};
        double[][] b = {{0.2, 0.8}, {0.3, 0.7}, {0.45, 0.55}, null};
        // post 0: (1.1, 0.9) -> 0; post 1: (0.7, 1.3) -> 1; post 2: b alone -> 1; post 3: none -> class 1, the most
        // frequent of the fitting posts
        int[] predicted = LateFusion.predict(List.of(new LateFusion.Fit(a, 0), new LateFusion.Fit(b, 0)),
                new int[] {1, 1, 0}, 2);
        assertArrayEquals(new int[] {0, 1, 1, 1}, predicted);
    }

    @Test
    void fitsOnThePostsThatHaveTheModalityAndScoresNoneForThoseThatLackIt() {
        float[][] x = {{0}, {1}, null, {0.1f}, null};
        Centroids c = new Centroids();
        LateFusion.Fit fit = LateFusion.fit(c, x, new int[] {0, 1, 2}, new int[] {0, 1, 1}, 2, new int[] {3, 4}, 7);
        assertEquals(List.of(2), c.fitted, "the fitting post without the modality is passed over");
        assertNotNull(fit.probabilities()[0]);
        assertTrue(fit.probabilities()[0][0] > 0.5, "0.1 is nearer class 0's centroid");
        assertNull(fit.probabilities()[1]);
        LateFusion.Fit none = LateFusion.fit(c, new float[][] {null, null, {1}}, new int[] {0, 1}, new int[] {0, 1}, 2,
                new int[] {2}, 7);
        assertNull(none.probabilities()[0], "no fitting post has it: no vote");
    }

    /**
     * The case late fusion is for: one stream separates the fitting posts perfectly but carries nothing on unseen
     * ones (features made by a network trained on the fitting posts), the other is weakly informative everywhere.
     * Concatenated, the leaked stream decides; late, it has one vote of two and the honest stream's confidence wins
     * where the leaked one is unsure.
     */
    @Test
    void aStreamThatOnlySeparatesTheFittingPostsDoesNotTakeOver() {
        Random r = new Random(3);
        int fit = 400;
        int test = 400;
        int[] y = new int[fit + test];
        float[][] honest = new float[fit + test][];
        float[][] leaked = new float[fit + test][];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(2);
            honest[i] = new float[] {(float) ((y[i] == 1 ? 1.2 : -1.2) + r.nextGaussian())};
            // on the fitting posts the leaked stream knows the class; on the others it is noise
            leaked[i] = new float[] {(float) (i < fit ? (y[i] == 1 ? 0.6 : -0.6) + 0.05 * r.nextGaussian()
                    : 0.3 * r.nextGaussian())};
        }
        int[] fitRows = java.util.stream.IntStream.range(0, fit).toArray();
        int[] testRows = java.util.stream.IntStream.range(fit, fit + test).toArray();
        int[] yFit = java.util.Arrays.copyOf(y, fit);
        Centroids c = new Centroids();
        int[] late = LateFusion.predict(List.of(LateFusion.fit(c, honest, fitRows, yFit, 2, testRows, 1),
                LateFusion.fit(c, leaked, fitRows, yFit, 2, testRows, 1)), yFit, 2);
        float[][] both = new float[fit + test][];
        for (int i = 0; i < both.length; i++) {
            both[i] = new float[] {honest[i][0], leaked[i][0] * 10}; // concatenated, the leaked block dominates
        }
        double[][] concat = LateFusion.fit(c, both, fitRows, yFit, 2, testRows, 1).probabilities();
        int lateRight = 0;
        int concatRight = 0;
        for (int i = 0; i < test; i++) {
            lateRight += late[i] == y[fit + i] ? 1 : 0;
            concatRight += (concat[i][1] > 0.5 ? 1 : 0) == y[fit + i] ? 1 : 0;
        }
        assertTrue(lateRight > 0.8 * test, "late fusion keeps most of the honest stream's accuracy: " + lateRight);
        assertTrue(concatRight < lateRight - 0.05 * test, "the concatenation follows the leaked stream: "
                + concatRight + " right against " + lateRight);
    }
}
