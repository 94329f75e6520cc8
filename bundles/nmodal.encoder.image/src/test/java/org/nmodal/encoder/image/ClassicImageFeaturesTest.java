package org.nmodal.encoder.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nmodal.api.media.DecodedImage;

class ClassicImageFeaturesTest {
    static DecodedImage stripes(boolean horizontal, int r, int g, int b) {
        int w = 64;
        int h = 64;
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean bright = ((horizontal ? y : x) / 4) % 2 == 0;
                int o = 3 * (y * w + x);
                rgb[o] = (byte) (bright ? 255 : r);
                rgb[o + 1] = (byte) (bright ? 255 : g);
                rgb[o + 2] = (byte) (bright ? 255 : b);
            }
        }
        return new DecodedImage(w, h, rgb, 0);
    }

    @Test
    void orientationAndColourShowInTheFeatures() {
        float[] horizontal = ClassicImageFeatures.of(stripes(true, 200, 0, 0));
        float[] vertical = ClassicImageFeatures.of(stripes(false, 0, 0, 200));
        assertEquals(ClassicImageFeatures.DIMENSION, horizontal.length);
        // horizontal stripes have vertical gradients: the balance feature is negative, and the reverse
        assertTrue(horizontal[54] < -0.9 && vertical[54] > 0.9, horizontal[54] + " / " + vertical[54]);
        // red against blue: red's mean is higher in the first image, blue's in the second
        assertTrue(horizontal[38] > vertical[38] && horizontal[40] < vertical[40]);
        double histogram = 0;
        for (int i = 0; i < 8; i++) {
            histogram += horizontal[i];
        }
        assertEquals(1.0, histogram, 1e-5, "a channel histogram sums to 1");
    }

    @Test
    void hugeImagesAreSampledNotRefused() {
        int w = 3000;
        int h = 2000;
        DecodedImage big = new DecodedImage(w, h, new byte[3 * w * h], 0);
        float[] f = ClassicImageFeatures.of(big);
        assertEquals(0f, f[38]);
        assertEquals(1f, f[0], 1e-6, "every sampled pixel is black");
    }
}
