package org.nmodal.encoder.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AudioFeaturesTest {
    /** A tone gliding from f0 to f1 over the clip. */
    static float[] glide(double f0, double f1, double seconds) {
        int n = (int) (16000 * seconds);
        float[] pcm = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            phase += 2 * Math.PI * (f0 + (f1 - f0) * i / (double) n) / 16000;
            pcm[i] = (float) (0.4 * Math.sin(phase));
        }
        return pcm;
    }

    @Test
    void fftMatchesADirectTransform() {
        double[] re = new double[8];
        double[] im = new double[8];
        for (int i = 0; i < 8; i++) {
            re[i] = Math.cos(2 * Math.PI * 2 * i / 8);
        }
        LogMel.fft(re, im);
        // a cosine at bin 2 of 8: energy 4 at bins 2 and 6, none elsewhere
        assertEquals(4, re[2], 1e-9);
        assertEquals(4, re[6], 1e-9);
        assertEquals(0, re[1], 1e-9);
        assertEquals(0, im[2], 1e-9);
    }

    @Test
    void risingAndFallingPitchHaveOppositeTrends() {
        float[] up = AudioFeatures.of(glide(200, 600, 2));
        float[] down = AudioFeatures.of(glide(600, 200, 2));
        assertEquals(AudioFeatures.DIMENSION, up.length);
        int trend = 164;
        // 400 Hz over 2 s: 0.2 kHz per second up, and down
        assertEquals(0.2, up[trend], 0.05);
        assertEquals(-0.2, down[trend], 0.05);
        assertEquals(0.4, up[trend + 1], 0.05, "mean dominant frequency in kHz");
    }

    @Test
    void aHigherToneMovesTheSpectralCentroidUp() {
        float[] low = AudioFeatures.of(glide(300, 300, 1));
        float[] high = AudioFeatures.of(glide(2000, 2000, 1));
        int centroid = 128 + 26;
        assertTrue(high[centroid] > 3 * low[centroid], high[centroid] + " vs " + low[centroid]);
    }

    @Test
    void silenceIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AudioFeatures.of(new float[16000]));
        assertEquals("silent audio track", e.getMessage());
    }
}
