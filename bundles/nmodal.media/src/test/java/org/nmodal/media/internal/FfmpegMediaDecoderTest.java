package org.nmodal.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacv.FFmpegFrameGrabber;
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

    /**
     * A Matroska stream without a duration (160x120, 25 fps, 60 s): the old scan converted and kept every frame
     * (1500 RGB copies, 86 MB here, 14 GB for 590 s at 640x480) and only then picked a few.
     */
    @Test
    void durationlessVideoKeepsOnlyTheSampledFrames() throws Exception {
        Path mkv = dir.resolve("live.mkv");
        TestMedia.liveMkv(mkv, 160, 120, 25, 1500);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mkv.toFile())) {
            g.start();
            assertTrue(g.getLengthInTime() <= 0, "the container must state no duration, was " + g.getLengthInTime());
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long[] peak = {0};
        decoder.onGrab = n -> {
            if (n % 100 == 0) { // live data mid-scan: what the old list of all frames held
                System.gc();
                peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed() - before);
            }
        };
        List<DecodedImage> frames = decoder.frames(mkv, 4);
        System.out.printf("durationless 60 s mkv: %d frames converted, live heap growth mid-scan %.1f MB%n",
                decoder.framesConverted.get(), peak[0] / 1e6);
        assertEquals(4, frames.size());
        assertEquals(4, decoder.framesConverted.get(), "only the kept frames are converted");
        assertTrue(peak[0] < 20_000_000, "heap grew by " + peak[0] + " bytes while scanning");
        int[] expectedRed = {187, 562 % 256, 937 % 256, 1312 % 256}; // frames (i + 0.5) * 1500 / 4
        for (int i = 0; i < 4; i++) {
            assertEquals(expectedRed[i], frames.get(i).channel(80, 60, 0), 12, "red level of frame " + i);
            assertEquals((int) ((i + 0.5) * 1500 / 4) / 25.0, frames.get(i).timestampSeconds(), 0.05);
        }
    }

    @Test
    void durationlessVideoOverTheLimitStopsAtTheFrameCap() throws Exception {
        Path mkv = dir.resolve("live.mkv");
        TestMedia.liveMkv(mkv, 32, 24, 25, 600);
        FfmpegMediaDecoder strict = new FfmpegMediaDecoder(new MediaLimits(1 << 20, 1 << 20, 10, 10));
        strict.onGrab = n -> fail("no frame may be decoded for a video over the limit");
        MediaException e = assertThrows(MediaException.class, () -> strict.frames(mkv, 4));
        assertTrue(e.getMessage().endsWith("video is longer than the limit of 10.0 s"), e.getMessage());
        assertEquals(0, strict.framesConverted.get());
        assertEquals(251, strict.maxVideoFrames(25));
        assertEquals(2401, strict.maxVideoFrames(1000), "Matroska's 1000 fps time base is no frame rate");
    }

    @Test
    void durationlessVideoWithoutFramesIsAMediaException() throws Exception {
        Path mkv = dir.resolve("empty.mkv");
        TestMedia.liveMkv(mkv, 32, 24, 25, 0);
        assertNamesFile(mkv, () -> decoder.frames(mkv, 4));
    }

    @Test
    void interruptedDecodeStopsPromptly() throws Exception {
        Path mkv = dir.resolve("live.mkv");
        TestMedia.liveMkv(mkv, 160, 120, 25, 1500);
        CountDownLatch midway = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        decoder.onGrab = n -> {
            if (n == 200) {
                midway.countDown();
                try { // hold the decode here until the caller gives up
                    never.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                outcome.set(new AssertionError("returned " + decoder.frames(mkv, 4).size() + " frames"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        assertTrue(midway.await(20, TimeUnit.SECONDS), "the decode reached frame 200");
        long interrupted = System.nanoTime();
        t.interrupt();
        t.join(2000);
        double seconds = (System.nanoTime() - interrupted) / 1e9;
        System.out.printf("interrupted decode ended %.3f s after the interrupt%n", seconds);
        assertTrue(!t.isAlive(), "the decode still runs 2 s after the interrupt");
        assertTrue(outcome.get() instanceof MediaException, String.valueOf(outcome.get()));
        assertTrue(outcome.get().getMessage().endsWith("decode stopped: the thread was interrupted"),
                outcome.get().getMessage());

        // a thread interrupted before the call decodes nothing
        decoder.onGrab = n -> { };
        Thread.currentThread().interrupt();
        try {
            MediaException e = assertThrows(MediaException.class, () -> decoder.frames(mkv, 4));
            assertTrue(e.getMessage().contains("decode stopped"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        } finally {
            Thread.interrupted();
        }
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
