package org.nmodal.encoder.audio.internal;

/**
 * 168 audio features: the mean and spread of each of 64 log-mel bands (128), of 13 cepstral coefficients (26), of
 * the spectral centroid, 85 % rolloff and flux (6), of the log energy and zero-crossing rate (4), the pitch
 * trend (slope of the dominant 50..1000 Hz frequency, kHz per second) and mean dominant frequency (2), and the
 * tempo (best beat period of the onset envelope between 30 and 240 bpm, and how strong it is) (2).
 */
final class AudioFeatures {
    static final int DIMENSION = 168;
    static final String VERSION = "melstats-v1";
    private static final int MFCC = 13;

    private AudioFeatures() {}

    /** With the default silence threshold of 1e-4 RMS. */
    static float[] of(float[] pcm) {
        return of(pcm, 1e-4);
    }

    /** @throws IllegalArgumentException for a clip quieter than {@code minRms} or shorter than one window */
    static void checkAudible(float[] pcm, double minRms) {
        double rms = 0;
        for (float s : pcm) {
            rms += s * s;
        }
        rms = Math.sqrt(rms / Math.max(1, pcm.length));
        if (pcm.length < LogMel.WINDOW || rms < minRms) {
            throw new IllegalArgumentException(pcm.length < LogMel.WINDOW ? "audio shorter than 25 ms" : "silent audio track");
        }
    }

    /** @throws IllegalArgumentException for a clip quieter than {@code minRms} or shorter than one window */
    static float[] of(float[] pcm, double minRms) {
        checkAudible(pcm, minRms);
        LogMel.Spectrogram s = LogMel.of(pcm);
        int t = s.frames();
        float[] out = new float[DIMENSION];
        int o = 0;
        double[][] mel = s.logMel();
        o = meanStd(out, o, t, LogMel.BANDS, (f, b) -> mel[f][b]);
        double[][] cep = new double[t][MFCC];
        for (int f = 0; f < t; f++) {
            for (int c = 0; c < MFCC; c++) {
                double sum = 0;
                for (int b = 0; b < LogMel.BANDS; b++) {
                    sum += mel[f][b] * Math.cos(Math.PI * c * (b + 0.5) / LogMel.BANDS);
                }
                cep[f][c] = sum / LogMel.BANDS;
            }
        }
        o = meanStd(out, o, t, MFCC, (f, c) -> cep[f][c]);
        double[][] shape = new double[t][3];
        double[] flux = new double[t];
        double[] dominant = new double[t];
        for (int f = 0; f < t; f++) {
            double[] p = s.power()[f];
            double total = 0;
            double weighted = 0;
            int peak = 0;
            for (int k = 0; k < LogMel.BINS; k++) {
                total += p[k];
                weighted += p[k] * k;
                double hz = k * (double) LogMel.RATE / LogMel.FFT;
                if (hz >= 50 && hz <= 1000 && p[k] > p[peak]) {
                    peak = k;
                }
            }
            double cumulative = 0;
            int rolloff = 0;
            for (int k = 0; k < LogMel.BINS; k++) {
                cumulative += p[k];
                if (cumulative >= 0.85 * total) {
                    rolloff = k;
                    break;
                }
            }
            double fl = 0;
            if (f > 0) {
                for (int b = 0; b < LogMel.BANDS; b++) {
                    fl += Math.max(0, mel[f][b] - mel[f - 1][b]);
                }
            }
            flux[f] = fl / LogMel.BANDS;
            shape[f][0] = total > 0 ? weighted / total / LogMel.BINS : 0;
            shape[f][1] = rolloff / (double) LogMel.BINS;
            shape[f][2] = flux[f];
            dominant[f] = peak * (double) LogMel.RATE / LogMel.FFT / 1000.0;
        }
        o = meanStd(out, o, t, 3, (f, j) -> shape[f][j]);
        double[][] energy = new double[t][2];
        for (int f = 0; f < t; f++) {
            int start = f * LogMel.HOP;
            double e = 0;
            int zc = 0;
            for (int i = start; i < Math.min(pcm.length, start + LogMel.WINDOW); i++) {
                e += pcm[i] * pcm[i];
                if (i > start && (pcm[i] < 0) != (pcm[i - 1] < 0)) {
                    zc++;
                }
            }
            energy[f][0] = Math.log(e / LogMel.WINDOW + 1e-10);
            energy[f][1] = zc / (double) LogMel.WINDOW;
        }
        o = meanStd(out, o, t, 2, (f, j) -> energy[f][j]);
        out[o++] = (float) (slope(dominant) * 1000.0 / LogMel.HOP * LogMel.RATE / 1000.0);
        double meanDominant = 0;
        for (double d : dominant) {
            meanDominant += d / t;
        }
        out[o++] = (float) meanDominant;
        double[] tempo = tempo(flux);
        out[o++] = (float) tempo[0];
        out[o] = (float) tempo[1];
        return out;
    }

    private interface Cell {
        double at(int frame, int column);
    }

    private static int meanStd(float[] out, int o, int frames, int columns, Cell cell) {
        for (int j = 0; j < columns; j++) {
            double mean = 0;
            for (int f = 0; f < frames; f++) {
                mean += cell.at(f, j) / frames;
            }
            double var = 0;
            for (int f = 0; f < frames; f++) {
                double d = cell.at(f, j) - mean;
                var += d * d / frames;
            }
            out[o + j] = (float) mean;
            out[o + columns + j] = (float) Math.sqrt(var);
        }
        return o + 2 * columns;
    }

    /** Least-squares slope per frame. */
    static double slope(double[] y) {
        int n = y.length;
        if (n < 2) {
            return 0;
        }
        double tMean = (n - 1) / 2.0;
        double yMean = 0;
        for (double v : y) {
            yMean += v / n;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - tMean) * (y[i] - yMean);
            den += (i - tMean) * (i - tMean);
        }
        return num / den;
    }

    /** Beats per minute / 240 of the strongest onset-envelope period, and its normalised autocorrelation. */
    private static double[] tempo(double[] onset) {
        double framesPerSecond = LogMel.RATE / (double) LogMel.HOP;
        int minLag = (int) (framesPerSecond * 60 / 240);
        int maxLag = Math.min(onset.length - 1, (int) (framesPerSecond * 60 / 30));
        double mean = 0;
        for (double v : onset) {
            mean += v / onset.length;
        }
        double zero = 0;
        for (double v : onset) {
            zero += (v - mean) * (v - mean);
        }
        int best = -1;
        double bestValue = 0;
        for (int lag = minLag; lag <= maxLag; lag++) {
            double c = 0;
            for (int i = lag; i < onset.length; i++) {
                c += (onset[i] - mean) * (onset[i - lag] - mean);
            }
            if (c > bestValue) {
                bestValue = c;
                best = lag;
            }
        }
        if (best < 0 || zero <= 0) {
            return new double[] {0, 0};
        }
        return new double[] {60 * framesPerSecond / best / 240, bestValue / zero};
    }
}
