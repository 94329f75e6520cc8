package org.nmodal.classify.internal;


/** Argument checks and the softmax shared by the classifiers (standardisation is the API's {@code Standardizer}). */
final class Checks {
    private Checks() {}

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
