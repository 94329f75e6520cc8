package org.nmodal.encoder.video.internal;

import java.util.List;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.encoder.image.ClassicImageFeatures;

/**
 * Pools per-frame image features over time and adds motion: the mean and spread of each frame feature, then the
 * mean and spread of the absolute grey-level change between consecutive frames, and the trend (least-squares
 * slope per frame step) of the overall brightness and of each channel's mean.
 */
final class FrameSequenceFeatures {
    static final int MOTION = 6;
    static final int DIMENSION = 2 * ClassicImageFeatures.DIMENSION + MOTION;

    private FrameSequenceFeatures() {}

    static float[] of(List<DecodedImage> frames) {
        int d = ClassicImageFeatures.DIMENSION;
        int k = frames.size();
        float[][] per = new float[k][];
        for (int t = 0; t < k; t++) {
            per[t] = ClassicImageFeatures.of(frames.get(t));
        }
        float[] out = new float[DIMENSION];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (float[] f : per) {
                mean += f[j] / k;
            }
            double var = 0;
            for (float[] f : per) {
                var += (f[j] - mean) * (f[j] - mean) / k;
            }
            out[j] = (float) mean;
            out[d + j] = (float) Math.sqrt(var);
        }
        double[] diffs = new double[Math.max(0, k - 1)];
        for (int t = 1; t < k; t++) {
            diffs[t - 1] = meanAbsDiff(frames.get(t - 1), frames.get(t));
        }
        double dm = 0;
        for (double x : diffs) {
            dm += x / Math.max(1, diffs.length);
        }
        double dv = 0;
        for (double x : diffs) {
            dv += (x - dm) * (x - dm) / Math.max(1, diffs.length);
        }
        out[2 * d] = (float) dm;
        out[2 * d + 1] = (float) Math.sqrt(dv);
        // feature 37 is the mean value (brightness); 38..40 the channel means
        int[] tracked = {37, 38, 39, 40};
        for (int i = 0; i < tracked.length; i++) {
            out[2 * d + 2 + i] = slope(per, tracked[i]);
        }
        return out;
    }

    private static float slope(float[][] per, int j) {
        int k = per.length;
        if (k < 2) {
            return 0;
        }
        double tMean = (k - 1) / 2.0;
        double yMean = 0;
        for (float[] f : per) {
            yMean += f[j] / k;
        }
        double num = 0;
        double den = 0;
        for (int t = 0; t < k; t++) {
            num += (t - tMean) * (per[t][j] - yMean);
            den += (t - tMean) * (t - tMean);
        }
        return (float) (num / den);
    }

    private static double meanAbsDiff(DecodedImage a, DecodedImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            return 0;
        }
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        int step = Math.max(3, 3 * (x.length / 3 / 65536));
        double s = 0;
        int n = 0;
        for (int i = 0; i + 2 < x.length; i += step) {
            s += Math.abs((x[i] & 0xff) - (y[i] & 0xff)) + Math.abs((x[i + 1] & 0xff) - (y[i + 1] & 0xff))
                    + Math.abs((x[i + 2] & 0xff) - (y[i + 2] & 0xff));
            n += 3;
        }
        return n == 0 ? 0 : s / n / 255.0;
    }
}
