package org.nmodal.training;

import java.util.HashMap;
import java.util.Map;

/**
 * Context features: a post's vector followed by the mean vector of the other posts of its group (the other
 * utterances of a video, the other posts of a thread), zeros when it has no company. Only posts that have the
 * modality count; a post without it stays without it.
 */
public final class Context {
    private Context() {}

    /** Each row followed by the mean of the other rows of its group (zeros alone); missing rows stay missing. */
    public static float[][] withGroupMean(float[][] x, String[] groups) {
        int d = Rows.width(x);
        if (d < 0) {
            return x;
        }
        Map<String, double[]> sums = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != null) {
                final int width = d;
                double[] s = sums.computeIfAbsent(groups[i], g -> new double[width]);
                for (int j = 0; j < s.length; j++) {
                    s[j] += x[i][j];
                }
                counts.merge(groups[i], 1, Integer::sum);
            }
        }
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                continue;
            }
            out[i] = new float[2 * d];
            System.arraycopy(x[i], 0, out[i], 0, d);
            int others = counts.get(groups[i]) - 1;
            if (others > 0) {
                double[] s = sums.get(groups[i]);
                for (int j = 0; j < d; j++) {
                    out[i][d + j] = (float) ((s[j] - x[i][j]) / others);
                }
            }
        }
        return out;
    }
}
