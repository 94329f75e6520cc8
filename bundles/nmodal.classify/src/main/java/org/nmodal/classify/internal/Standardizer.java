package org.nmodal.classify.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Z-scores features with the training set's mean and spread; constant features become 0. */
final class Standardizer {
    final float[] mean;
    final float[] scale;

    private Standardizer(float[] mean, float[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    static Standardizer fit(float[][] x) {
        int d = x[0].length;
        double[] m = new double[d];
        double[] s = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                m[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= x.length;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                s[j] += (row[j] - m[j]) * (row[j] - m[j]);
            }
        }
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) m[j];
            double sd = Math.sqrt(s[j] / x.length);
            scale[j] = sd > 1e-12 ? (float) (1 / sd) : 0f;
        }
        return new Standardizer(mean, scale);
    }

    float[] apply(float[] row) {
        if (row.length != mean.length) {
            throw new IllegalArgumentException("expected " + mean.length + " features, got " + row.length);
        }
        float[] out = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) * scale[j];
        }
        return out;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(mean.length);
        for (int j = 0; j < mean.length; j++) {
            out.writeFloat(mean[j]);
            out.writeFloat(scale[j]);
        }
    }

    static Standardizer read(DataInputStream in) throws IOException {
        int d = in.readInt();
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = in.readFloat();
            scale[j] = in.readFloat();
        }
        return new Standardizer(mean, scale);
    }

    static void check(float[][] x, int[] y, int classes) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need as many labels as rows, and at least one row (got " + x.length
                    + " rows, " + y.length + " labels)");
        }
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            }
        }
    }

    /** Softmax of scores, stable. */
    static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
