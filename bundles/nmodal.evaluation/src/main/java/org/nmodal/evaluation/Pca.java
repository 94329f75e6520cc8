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

    /**
     * {@link #project2} stretched to a drawing: x into [left, left + width], y into [top, top + height], each axis
     * over the range the points span.
     */
    public static double[][] project2(List<float[]> rows, double left, double top, double width, double height) {
        double[][] xy = project2(rows);
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : xy) {
            for (int a = 0; a < 2; a++) {
                min[a] = Math.min(min[a], p[a]);
                max[a] = Math.max(max[a], p[a]);
            }
        }
        double[] origin = {left, top};
        double[] size = {width, height};
        for (double[] p : xy) {
            for (int a = 0; a < 2; a++) {
                p[a] = origin[a] + size[a] * (p[a] - min[a]) / Math.max(max[a] - min[a], 1e-9);
            }
        }
        return xy;
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
