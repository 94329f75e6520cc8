package org.nmodal.encoder.audio.internal;

/**
 * A log-mel spectrogram: 25 ms Hann windows every 10 ms, a 512-point FFT, 64 triangular mel filters from 0 to
 * 8 kHz, natural log with a small floor. Also returns each frame's power spectrum for the spectral features.
 */
final class LogMel {
    static final int RATE = 16_000;
    static final int WINDOW = 400;
    static final int HOP = 160;
    static final int FFT = 512;
    static final int BANDS = 64;
    static final int BINS = FFT / 2 + 1;

    private static final double[] HANN = new double[WINDOW];
    private static final double[][] FILTERS = filters();

    static {
        for (int i = 0; i < WINDOW; i++) {
            HANN[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW);
        }
    }

    /** Frames' power spectra ({@code frames x BINS}) and log-mel energies ({@code frames x BANDS}). */
    record Spectrogram(double[][] power, double[][] logMel) {
        int frames() {
            return power.length;
        }
    }

    private LogMel() {}

    static Spectrogram of(float[] pcm) {
        int frames = pcm.length < WINDOW ? 1 : 1 + (pcm.length - WINDOW) / HOP;
        double[][] power = new double[frames][];
        double[][] mel = new double[frames][BANDS];
        double[] re = new double[FFT];
        double[] im = new double[FFT];
        for (int f = 0; f < frames; f++) {
            java.util.Arrays.fill(re, 0);
            java.util.Arrays.fill(im, 0);
            int start = f * HOP;
            for (int i = 0; i < WINDOW && start + i < pcm.length; i++) {
                re[i] = pcm[start + i] * HANN[i];
            }
            fft(re, im);
            double[] p = new double[BINS];
            for (int k = 0; k < BINS; k++) {
                p[k] = (re[k] * re[k] + im[k] * im[k]) / FFT;
            }
            power[f] = p;
            for (int b = 0; b < BANDS; b++) {
                double e = 0;
                for (int k = 0; k < BINS; k++) {
                    e += FILTERS[b][k] * p[k];
                }
                mel[f][b] = Math.log(e + 1e-10);
            }
        }
        return new Spectrogram(power, mel);
    }

    /** Triangular filters evenly spaced on the mel scale. */
    private static double[][] filters() {
        double maxMel = mel(RATE / 2.0);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = hz(maxMel * i / (BANDS + 1)) * FFT / RATE;
        }
        double[][] f = new double[BANDS][BINS];
        for (int b = 0; b < BANDS; b++) {
            for (int k = 0; k < BINS; k++) {
                double up = (k - edges[b]) / Math.max(1e-9, edges[b + 1] - edges[b]);
                double down = (edges[b + 2] - k) / Math.max(1e-9, edges[b + 2] - edges[b + 1]);
                f[b][k] = Math.max(0, Math.min(up, down));
            }
        }
        return f;
    }

    static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** In-place iterative radix-2 FFT (length a power of two). */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double nr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = nr;
                }
            }
        }
    }
}
