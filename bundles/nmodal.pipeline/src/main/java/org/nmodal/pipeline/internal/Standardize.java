package org.nmodal.pipeline.internal;

/** Z-scores one modality's vectors with the training posts' mean and spread; missing rows stay missing. */
final class Standardize {
    private Standardize() {}

    static float[][] fit(float[][] x, int[] train) {
        int d = Rows.width(x);
        if (d < 0) {
            return x;
        }
        double[] mean = new double[d];
        double[] sq = new double[d];
        int n = 0;
        for (int i : train) {
            if (x[i] != null) {
                n++;
                for (int j = 0; j < d; j++) {
                    mean[j] += x[i][j];
                }
            }
        }
        for (int j = 0; j < d && n > 0; j++) {
            mean[j] /= n;
        }
        for (int i : train) {
            if (x[i] != null) {
                for (int j = 0; j < d; j++) {
                    sq[j] += (x[i][j] - mean[j]) * (x[i][j] - mean[j]);
                }
            }
        }
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                continue;
            }
            out[i] = new float[d];
            for (int j = 0; j < d; j++) {
                double sd = n > 1 ? Math.sqrt(sq[j] / n) : 0;
                out[i][j] = sd > 1e-8 ? (float) ((x[i][j] - mean[j]) / sd) : 0f;
            }
        }
        return out;
    }
}
