package org.nmodal.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaException;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FfmpegMediaDecoderTest {
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(MediaLimits.DEFAULT);

    @TempDir
    Path dir;

    @Test
    void decodesPngPixels() throws Exception {
        Path png = dir.resolve("a.png");
        TestMedia.png(png, 20, 10);
        DecodedImage img = decoder.image(png);
        assertEquals(20, img.width());
        assertEquals(10, img.height());
        assertEquals(10 * 7, img.channel(7, 3, 0));
        assertEquals(20 * 3, img.channel(7, 3, 1));
        assertEquals(0x40, img.channel(7, 3, 2));
    }

    @Test
    void samplesEvenlySpacedFramesInOrder() throws Exception {
        Path mp4 = dir.resolve("v.mp4");
        TestMedia.video(mp4, 30, true, false);
        List<DecodedImage> frames = decoder.frames(mp4, 3);
        assertEquals(3, frames.size());
        double[] expectedRed = {8 * 5, 8 * 15, 8 * 25}; // middles of three 1 s slices at 10 fps
        for (int i = 0; i < 3; i++) {
            DecodedImage f = frames.get(i);
            assertEquals(64, f.width());
            assertEquals(expectedRed[i], f.channel(32, 24, 0), 14, "red level of frame " + i);
        }
        assertTrue(frames.get(0).timestampSeconds() < frames.get(1).timestampSeconds());
        assertTrue(frames.get(1).timestampSeconds() < frames.get(2).timestampSeconds());
    }

    @Test
    void readsSoundTrackAs16kMono() throws Exception {
        Path mp4 = dir.resolve("v.mp4");
        TestMedia.video(mp4, 30, true, false);
        AudioClip clip = decoder.audio(mp4);
        assertEquals(16000, clip.sampleRate());
        assertEquals(3.0, clip.seconds(), 0.3);
        assertEquals(440, dominantFrequency(clip), 20);
    }

    @Test
    void resamplesStereoWav() throws Exception {
        Path wav = dir.resolve("a.wav");
        TestMedia.wav(wav, 1.0, 44100);
        AudioClip clip = decoder.audio(wav);
        assertEquals(16000, clip.samples().length, 400);
        assertEquals(440, dominantFrequency(clip), 20);
    }

    @Test
    void randomBytesFailWithTheFileName() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        byte[] bytes = new byte[50_000];
        new Random(1).nextBytes(bytes);
        Files.write(junk, bytes);
        assertNamesFile(junk, () -> decoder.frames(junk, 4));
        assertNamesFile(junk, () -> decoder.audio(junk));
        Path junkPng = dir.resolve("junk.png");
        Files.write(junkPng, bytes);
        assertNamesFile(junkPng, () -> decoder.image(junkPng));
    }

    @Test
    void truncatedVideoFails() throws Exception {
        Path mp4 = dir.resolve("v.mp4");
        TestMedia.video(mp4, 30, true, false);
        Path cut = truncate(mp4, dir.resolve("cut.mp4"), 0.6);
        assertNamesFile(cut, () -> decoder.frames(cut, 4));
    }

    @Test
    void truncatedFaststartVideoFailsInsteadOfReturningFewerFrames() throws Exception {
        Path mp4 = dir.resolve("fast.mp4");
        TestMedia.video(mp4, 30, true, true);
        assertEquals(4, decoder.frames(mp4, 4).size());
        Path cut = truncate(mp4, dir.resolve("fastcut.mp4"), 0.5);
        assertNamesFile(cut, () -> decoder.frames(cut, 4));
    }

    @Test
    void limitsAndMissingInputsAreClear() throws Exception {
        Path png = dir.resolve("big.png");
        TestMedia.png(png, 20, 10);
        FfmpegMediaDecoder strict = new FfmpegMediaDecoder(new MediaLimits(1 << 20, 100, 1, 1));
        MediaException e = assertThrows(MediaException.class, () -> strict.image(png));
        assertTrue(e.getMessage().contains("over the limit of 100"), e.getMessage());

        Path mp4 = dir.resolve("long.mp4");
        TestMedia.video(mp4, 30, false, false);
        e = assertThrows(MediaException.class, () -> strict.frames(mp4, 2));
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        e = assertThrows(MediaException.class, () -> decoder.audio(mp4));
        assertTrue(e.getMessage().endsWith("no audio track"), e.getMessage());

        Path missing = dir.resolve("nope.png");
        e = assertThrows(MediaException.class, () -> decoder.image(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    private static void assertNamesFile(Path file, Executable call) {
        MediaException e = assertThrows(MediaException.class, call);
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(file, e.file());
    }

    private static Path truncate(Path from, Path to, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(from);
        Files.write(to, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
        return to;
    }

    /** Zero crossings of the middle second, halved: the frequency of a clean sine. */
    private static double dominantFrequency(AudioClip clip) {
        float[] s = clip.samples();
        int from = s.length / 4;
        int to = from + clip.sampleRate() / 2;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / ((to - from) / (double) clip.sampleRate());
    }
}
