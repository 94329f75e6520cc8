package org.nmodal.encoder.image;

import org.nmodal.api.media.DecodedImage;

/**
 * 67 weight-free image features: RGB histograms (3 x 8 bins), a saturation-weighted hue histogram (12), mean
 * saturation and value (2), channel means and spreads (6), a magnitude-weighted gradient orientation histogram
 * (8, orientations modulo 180 degrees), edge density, mean gradient and horizontal-versus-vertical gradient
 * balance (3), and the mean colour of each image quarter (12). Large images are sampled on a grid of at most
 * 256 x 256 points, so the cost does not grow with the pixel count.
 */
public final class ClassicImageFeatures {
    /** Number of features. */
    public static final int DIMENSION = 67;
    /** Changes whenever the features change (feature caches key on it). */
    public static final String VERSION = "classic-v1";
    private static final int MAX_SIDE = 256;

    private ClassicImageFeatures() {}

    /** The features of one image. */
    public static float[] of(DecodedImage img) {
        int step = Math.max(1, (int) Math.ceil(Math.max(img.width(), img.height()) / (double) MAX_SIDE));
        int w = (img.width() + step - 1) / step;
        int h = (img.height() + step - 1) / step;
        float[][] gray = new float[h][w];
        float[] f = new float[DIMENSION];
        double[] sum = new double[3];
        double[] sq = new double[3];
        double[][] quarter = new double[4][3];
        int[] quarterCount = new int[4];
        double satSum = 0;
        double valSum = 0;
        int n = 0;
        for (int gy = 0; gy < h; gy++) {
            for (int gx = 0; gx < w; gx++) {
                int x = gx * step;
                int y = gy * step;
                int r = img.channel(x, y, 0);
                int g = img.channel(x, y, 1);
                int b = img.channel(x, y, 2);
                f[r >> 5]++;
                f[8 + (g >> 5)]++;
                f[16 + (b >> 5)]++;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                double sat = max == 0 ? 0 : (max - min) / (double) max;
                if (max > min) {
                    double hue;
                    if (max == r) {
                        hue = ((g - b) / (double) (max - min) + 6) % 6;
                    } else if (max == g) {
                        hue = (b - r) / (double) (max - min) + 2;
                    } else {
                        hue = (r - g) / (double) (max - min) + 4;
                    }
                    f[24 + Math.min(11, (int) (hue * 2))] += (float) sat;
                }
                satSum += sat;
                valSum += max / 255.0;
                int[] c = {r, g, b};
                int q = (gy * 2 / h) * 2 + gx * 2 / w;
                for (int k = 0; k < 3; k++) {
                    sum[k] += c[k] / 255.0;
                    sq[k] += (c[k] / 255.0) * (c[k] / 255.0);
                    quarter[q][k] += c[k] / 255.0;
                }
                quarterCount[q]++;
                gray[gy][gx] = (float) ((0.299 * r + 0.587 * g + 0.114 * b) / 255.0);
                n++;
            }
        }
        for (int i = 0; i < 24; i++) {
            f[i] /= n;
        }
        float hueTotal = 0;
        for (int i = 24; i < 36; i++) {
            hueTotal += f[i];
        }
        for (int i = 24; i < 36 && hueTotal > 0; i++) {
            f[i] /= hueTotal;
        }
        f[36] = (float) (satSum / n);
        f[37] = (float) (valSum / n);
        for (int k = 0; k < 3; k++) {
            double mean = sum[k] / n;
            f[38 + k] = (float) mean;
            f[41 + k] = (float) Math.sqrt(Math.max(0, sq[k] / n - mean * mean));
        }
        gradients(gray, f);
        for (int q = 0; q < 4; q++) {
            for (int k = 0; k < 3; k++) {
                f[55 + 3 * q + k] = quarterCount[q] == 0 ? 0 : (float) (quarter[q][k] / quarterCount[q]);
            }
        }
        return f;
    }

    /** Sobel gradients: orientation histogram (f[44..51]), edge density, mean magnitude, horizontal balance. */
    private static void gradients(float[][] g, float[] f) {
        int h = g.length;
        int w = g[0].length;
        double total = 0;
        double gxEnergy = 0;
        double gyEnergy = 0;
        int edges = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                double gx = (g[y - 1][x + 1] + 2 * g[y][x + 1] + g[y + 1][x + 1])
                        - (g[y - 1][x - 1] + 2 * g[y][x - 1] + g[y + 1][x - 1]);
                double gy = (g[y + 1][x - 1] + 2 * g[y + 1][x] + g[y + 1][x + 1])
                        - (g[y - 1][x - 1] + 2 * g[y - 1][x] + g[y - 1][x + 1]);
                double mag = Math.hypot(gx, gy);
                double angle = Math.atan2(gy, gx);
                if (angle < 0) {
                    angle += Math.PI;
                }
                f[44 + Math.min(7, (int) (angle / Math.PI * 8))] += (float) mag;
                total += mag;
                gxEnergy += gx * gx;
                gyEnergy += gy * gy;
                edges += mag > 0.5 ? 1 : 0;
                n++;
            }
        }
        for (int i = 44; i < 52 && total > 0; i++) {
            f[i] /= total;
        }
        f[52] = n == 0 ? 0 : edges / (float) n;
        f[53] = n == 0 ? 0 : (float) (total / n);
        f[54] = gxEnergy + gyEnergy == 0 ? 0 : (float) ((gxEnergy - gyEnergy) / (gxEnergy + gyEnergy));
    }
}
