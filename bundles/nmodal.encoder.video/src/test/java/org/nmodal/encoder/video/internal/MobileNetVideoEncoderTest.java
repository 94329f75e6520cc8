package org.nmodal.encoder.video.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.VideoFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.encoder.image.FrameEmbedder;
import org.nmodal.media.StandaloneMedia;

/** Frames from real videos (written here) through a stand-in network: pooling, errors, one call per video. */
class MobileNetVideoEncoderTest {
    @TempDir
    Path dir;

    /** A network whose vector is a frame's mean red, green and blue: easy to reason about. */
    private static final class MeanColour implements FrameEmbedder {
        final List<Integer> calls = new ArrayList<>();

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public String version() {
            return "mean-colour";
        }

        @Override
        public List<float[]> embed(List<DecodedImage> pictures) {
            calls.add(pictures.size());
            List<float[]> out = new ArrayList<>();
            for (DecodedImage p : pictures) {
                float[] v = new float[3];
                byte[] rgb = p.rgb();
                for (int i = 0; i < rgb.length; i++) {
                    v[i % 3] += (rgb[i] & 0xff) / (rgb.length / 3f);
                }
                out.add(v);
            }
            return out;
        }
    }

    @Test
    void poolsMeanMaxAndChange() {
        float[] pooled = MobileNetVideoEncoder.pool(List.of(new float[] {0, 4}, new float[] {2, 0},
                new float[] {1, 2}), 2);
        // mean (1, 2), max (2, 4), mean |change| ((2 + 1) / 2, (4 + 2) / 2)
        assertArrayEquals(new float[] {1, 2, 2, 4, 1.5f, 3}, pooled, 1e-6f);
        assertArrayEquals(new float[] {5, 5, 0}, MobileNetVideoEncoder.pool(List.of(new float[] {5}), 1), 1e-6f,
                "one frame: no change");
    }

    @Test
    void encodesRealVideosAndFailsCorruptOnesAlone() throws Exception {
        List<DecodedImage> darkToBright = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] rgb = new byte[3 * 32 * 32];
            java.util.Arrays.fill(rgb, (byte) (i * 12));
            darkToBright.add(new DecodedImage(32, 32, rgb, i / 10.0));
        }
        Path video = dir.resolve("ramp.mp4");
        StandaloneMedia.writer().mp4(video, darkToBright, 10, new AudioClip(16000, new float[16000]));
        Path corrupt = dir.resolve("corrupt.mp4");
        Files.write(corrupt, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});
        MeanColour network = new MeanColour();
        MobileNetVideoEncoder encoder = new MobileNetVideoEncoder(StandaloneMedia.decoder(Map.of()), network, 4);
        assertEquals(9, encoder.dimension());
        List<Encoding> out = encoder.encode(List.of(new VideoFile(video), new VideoFile(corrupt)));
        assertTrue(out.get(0).ok(), out.get(0).toString());
        float[] v = out.get(0).vector();
        assertEquals(9, v.length);
        assertTrue(v[3] > v[0], "the brightest frame is above the mean: " + java.util.Arrays.toString(v));
        assertTrue(v[6] > 0, "frames change over time");
        assertFalse(out.get(1).ok());
        assertTrue(out.get(1).error().contains("corrupt.mp4"), out.get(1).error());
        assertEquals(List.of(4), network.calls, "one network call with the sampled frames of the good video");
        assertTrue(encoder.version().contains("mean-colour/k4"));
    }
}
