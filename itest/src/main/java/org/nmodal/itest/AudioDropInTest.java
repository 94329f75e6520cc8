package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.data.VideoFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaWriter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/** The audio modality arrives by dropping its bundle into the load folder, encodes sound tracks, and leaves. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AudioDropInTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @TempDir
    Path dir;

    @Test
    void theAudioEncoderComesEncodesAndGoes() throws Exception {
        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path jar = Path.of(context.getProperty("nmodal.itest.dropin")).resolveSibling("nmodal.encoder.audio.jar");
        assertTrue(Files.isRegularFile(jar), "built audio bundle missing: " + jar);
        // the bundle carries two encoders without configuration (audio-melstats, audio-speech): track melstats
        ServiceTracker<ModalityEncoder, ModalityEncoder> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + ModalityEncoder.class.getName()
                        + ")(nmodal.modality=audio)(nmodal.name=audio-melstats))"), null);
        tracker.open();
        try {
            assertNull(tracker.getService(), "no audio encoder before the drop");
            Path staged = load.resolveSibling("staged-audio.jar");
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, load.resolve("nmodal.encoder.audio.jar"), StandardCopyOption.ATOMIC_MOVE);
            ModalityEncoder audio = tracker.waitForService(15_000);
            assertNotNull(audio, "the audio encoder did not appear within 15 s");
            assertEquals("audio-melstats", audio.name());

            // a real video with a rising tone, and a silent WAV
            List<DecodedImage> frames = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                frames.add(new DecodedImage(32, 32, new byte[3 * 32 * 32], i / 10.0));
            }
            float[] rising = new float[16000];
            double phase = 0;
            for (int i = 0; i < rising.length; i++) {
                phase += 2 * Math.PI * (200 + 400.0 * i / rising.length) / 16000;
                rising[i] = (float) (0.4 * Math.sin(phase));
            }
            Path video = dir.resolve("clip.mp4");
            writer.mp4(video, frames, 10, new AudioClip(16000, rising));
            Path silent = dir.resolve("silent.wav");
            writer.wav(silent, new AudioClip(16000, new float[16000]));
            List<Encoding> out = audio.encode(List.of(new VideoFile(video), new AudioFile(silent)));
            assertEquals(168, out.get(0).vector().length);
            assertTrue(out.get(0).vector()[164] > 0.1, "rising pitch trend " + out.get(0).vector()[164]);
            assertFalse(out.get(1).ok());
            assertEquals(silent + ": silent audio track", out.get(1).error());

            Files.delete(load.resolve("nmodal.encoder.audio.jar"));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (tracker.getService() != null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertNull(tracker.getService(), "the audio encoder is still there 15 s after its file went");
        } finally {
            tracker.close();
        }
    }
}
