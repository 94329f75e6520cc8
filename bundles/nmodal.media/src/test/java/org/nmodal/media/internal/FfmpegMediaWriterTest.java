package org.nmodal.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;

class FfmpegMediaWriterTest {
    @TempDir
    Path dir;

    private final FfmpegMediaWriter writer = new FfmpegMediaWriter();
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(MediaLimits.DEFAULT);

    @Test
    void writtenMediaDecodesBack() throws Exception {
        DecodedImage red = solid(32, 24, 200, 30, 30);
        writer.png(dir.resolve("a.png"), red);
        assertEquals(200, decoder.image(dir.resolve("a.png")).channel(5, 5, 0));

        List<DecodedImage> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(solid(32, 24, 10 * i, 60, 60));
        }
        float[] pcm = new float[16000 * 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.4 * Math.sin(2 * Math.PI * 300 * i / 16000.0));
        }
        writer.mp4(dir.resolve("v.mp4"), frames, 10, new AudioClip(16000, pcm));
        List<DecodedImage> back = decoder.frames(dir.resolve("v.mp4"), 2);
        assertTrue(back.get(0).channel(16, 12, 0) < back.get(1).channel(16, 12, 0), "brightening red kept its order");
        assertEquals(2.0, decoder.audio(dir.resolve("v.mp4")).seconds(), 0.3);

        writer.wav(dir.resolve("a.wav"), new AudioClip(16000, pcm));
        assertEquals(2.0, decoder.audio(dir.resolve("a.wav")).seconds(), 0.05);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files are left behind");
        }
    }

    static DecodedImage solid(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return new DecodedImage(w, h, rgb, 0);
    }
}
