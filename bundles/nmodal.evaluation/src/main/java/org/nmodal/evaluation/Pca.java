package org.nmodal.evaluation;

import java.util.List;
import java.util.Random;

/** The first two principal components by power iteration (enough for a picture; d is a few hundred). */
public final class Pca {
    private Pca() {}

    /** Each row's coordinates on the first two principal components of the rows. */
    public static double[][] project2(List<float[]> rows) {
        int n = rows.size();
        int d = rows.get(0).length;
        double[] mean = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / (double) n;
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rows.get(i)[j] - mean[j];
            }
        }
        double[] v1 = component(x, null);
        double[] v2 = component(x, v1);
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            out[i][0] = dot(x[i], v1);
            out[i][1] = dot(x[i], v2);
        }
        return out;
    }

    private static double[] component(double[][] x, double[] orthogonalTo) {
        int d = x[0].length;
        Random r = new Random(1);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = r.nextGaussian();
        }
        for (int it = 0; it < 60; it++) {
            double[] next = new double[d];
            for (double[] row : x) {
                double s = dot(row, v);
                for (int j = 0; j < d; j++) {
                    next[j] += s * row[j];
                }
            }
            if (orthogonalTo != null) {
                double s = dot(next, orthogonalTo);
                for (int j = 0; j < d; j++) {
                    next[j] -= s * orthogonalTo[j];
                }
            }
            double norm = Math.sqrt(dot(next, next));
            if (norm < 1e-12) {
                break;
            }
            for (int j = 0; j < d; j++) {
                v[j] = next[j] / norm;
            }
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
