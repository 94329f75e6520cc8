package org.nmodal.recommend;

/** Small vector helpers. */
public final class Vectors {
    private Vectors() {}

    /** Scales a vector to length 1 in place (a zero vector stays zero). */
    public static void normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        if (s > 0) {
            float inv = (float) (1 / Math.sqrt(s));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }

    /** A copy scaled to length 1. */
    public static float[] unit(float[] v) {
        float[] u = v.clone();
        normalize(u);
        return u;
    }

    /** Dot product. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Cosine similarity (0 when either is zero). */
    public static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /**
     * The element-wise mean of the rows that are there (null rows left out, not counted); zeros when none is: how the
     * tag scores of several mappings (modalities, ensemble members) of one post are combined.
     */
    public static double[] mean(java.util.List<double[]> rows, int width) {
        double[] sum = new double[width];
        long n = rows.stream().filter(java.util.Objects::nonNull).count();
        for (double[] r : rows) {
            for (int t = 0; r != null && t < width; t++) {
                sum[t] += r[t] / n;
            }
        }
        return sum;
    }

    /** The indices of the {@code k} largest scores, best first (ties: lower index first). */
    public static int[] top(double[] scores, int k) {
        int n = Math.min(k, scores.length);
        int[] best = new int[n];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            if (size < n) {
                int p = size++;
                while (p > 0 && scores[best[p - 1]] < scores[i]) {
                    best[p] = best[p - 1];
                    p--;
                }
                best[p] = i;
            } else if (n > 0 && scores[i] > scores[best[n - 1]]) {
                int p = n - 1;
                while (p > 0 && scores[best[p - 1]] < scores[i]) {
                    best[p] = best[p - 1];
                    p--;
                }
                best[p] = i;
            }
        }
        return best;
    }
}
