package org.nmodal.pipeline.internal;

/** Z-scores one modality's vectors with the training posts' mean and spread; missing rows stay missing. */
final class Standardize {
    private Standardize() {}

    /**
     * The mean and spread of one modality, learned from training posts; a served model keeps it to scale new posts
     * exactly as its training posts were.
     *
     * @param mean per-dimension mean
     * @param scale per-dimension 1/sd, 0 for a constant dimension
     */
    record Scaler(float[] mean, float[] scale) {
        float[] apply(float[] x) {
            if (x == null) {
                return null;
            }
            if (x.length != mean.length) {
                throw new IllegalArgumentException("vector of " + x.length + " values, the model expects " + mean.length);
            }
            float[] out = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                out[j] = (x[j] - mean[j]) * scale[j];
            }
            return out;
        }

        float[][] apply(float[][] x) {
            float[][] out = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                out[i] = apply(x[i]);
            }
            return out;
        }
    }

    static float[][] fit(float[][] x, int[] train) {
        return Rows.width(x) < 0 ? x : scaler(x, train).apply(x);
    }

    /** Learns the scaler from the training rows that have a vector. */
    static Scaler scaler(float[][] x, int[] train) {
        int d = Math.max(0, Rows.width(x));
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
        float[] m = new float[d];
        float[] s = new float[d];
        for (int j = 0; j < d; j++) {
            double sd = n > 1 ? Math.sqrt(sq[j] / n) : 0;
            m[j] = (float) mean[j];
            s[j] = sd > 1e-8 ? (float) (1 / sd) : 0f;
        }
        return new Scaler(m, s);
    }
}
