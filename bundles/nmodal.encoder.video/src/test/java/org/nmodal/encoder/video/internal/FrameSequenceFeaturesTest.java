package org.nmodal.encoder.video.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nmodal.api.media.DecodedImage;

class FrameSequenceFeaturesTest {
    static List<DecodedImage> ramp(int from, int step) {
        List<DecodedImage> frames = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            byte[] rgb = new byte[3 * 16 * 16];
            java.util.Arrays.fill(rgb, (byte) (from + step * t));
            frames.add(new DecodedImage(16, 16, rgb, t));
        }
        return frames;
    }

    @Test
    void brighteningAndDarkeningHaveOppositeTrends() {
        int d = 2 * 67;
        float[] up = FrameSequenceFeatures.of(ramp(40, 20));
        float[] down = FrameSequenceFeatures.of(ramp(180, -20));
        float[] still = FrameSequenceFeatures.of(ramp(100, 0));
        assertEquals(FrameSequenceFeatures.DIMENSION, up.length);
        assertTrue(up[d + 2] > 0 && down[d + 2] < 0, "brightness slope " + up[d + 2] + " / " + down[d + 2]);
        assertEquals(20 / 255.0, up[d], 1e-3, "mean absolute frame difference");
        assertEquals(0, still[d], 1e-9);
        assertEquals(0, still[d + 2], 1e-9);
    }
}
