package org.nmodal.encoder.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.media.StandaloneMedia;

/**
 * The real speech models (unpacked into target/classes/model/speech by the build) on sounds made here: a tone,
 * speech-like noise bursts, silence, a clip shorter than one window.
 */
class SpeechAudioEncoderTest {
    static final Path MODELS = Path.of("target/classes/model/speech");

    @TempDir
    static Path dir;
    static SpeechAudioEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = new SpeechAudioEncoder(Engine.getEngine("OnnxRuntime"), decoder(), MODELS, "gpu", 1e-4);
    }

    @AfterAll
    static void close() {
        if (encoder != null) {
            encoder.close();
        }
    }

    static float[] tone(double hz, double seconds) {
        float[] pcm = new float[(int) (16000 * seconds)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000.0));
        }
        return pcm;
    }

    /** Syllable-rate bursts (4 per second) of a buzzy 120 Hz source through two moving resonances, plus hiss. */
    static float[] bursts(double seconds, long seed) {
        Random r = new Random(seed);
        float[] pcm = new float[(int) (16000 * seconds)];
        double y1 = 0;
        double y2 = 0;
        double z1 = 0;
        double z2 = 0;
        for (int i = 0; i < pcm.length; i++) {
            double t = i / 16000.0;
            double env = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
            double src = (i % 133 == 0 ? 1.0 : 0.0) + 0.05 * r.nextGaussian();
            double f1 = 500 + 300 * Math.sin(2 * Math.PI * 1.3 * t);
            double f2 = 1500 + 600 * Math.sin(2 * Math.PI * 0.9 * t);
            double[] a = resonator(f1);
            double[] b = resonator(f2);
            double u = a[0] * src - a[1] * y1 - a[2] * y2;
            y2 = y1;
            y1 = u;
            double w = b[0] * src - b[1] * z1 - b[2] * z2;
            z2 = z1;
            z1 = w;
            pcm[i] = (float) (env * 0.05 * (u + 0.5 * w));
        }
        return pcm;
    }

    private static double[] resonator(double f) {
        double rr = Math.exp(-Math.PI * 100 / 16000.0);
        return new double[] {1 - rr, -2 * rr * Math.cos(2 * Math.PI * f / 16000.0), rr * rr};
    }

    static Path wav(String name, float[] pcm) throws Exception {
        Path p = dir.resolve(name);
        StandaloneMedia.writer().wav(p, new AudioClip(16000, pcm));
        return p;
    }

    private static MediaDecoder decoder() {
        return StandaloneMedia.decoder(Map.of("maxFileBytes", 1L << 26, "maxPixels", 1L << 24, "maxVideoSeconds", 60,
                "maxAudioSeconds", 60));
    }

    @Test
    void encodesToPooledEmbeddingsAndSpeechRatio() throws Exception {
        assertEquals(289, encoder.dimension());
        assertEquals("cpu", encoder.device(), "no usable GPU here: cpu");
        List<Encoding> out = encoder.encode(List.of(new AudioFile(wav("tone.wav", tone(440, 2))),
                new AudioFile(wav("bursts.wav", bursts(2, 1))), new AudioFile(wav("short.wav", tone(440, 0.3)))));
        for (Encoding e : out) {
            assertTrue(e.ok(), e.error());
            assertEquals(289, e.vector().length);
            for (float f : e.vector()) {
                assertTrue(Float.isFinite(f));
            }
        }
        float[] tone = out.get(0).vector();
        float[] noise = out.get(1).vector();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < 288; i++) {
            diff += (tone[i] - noise[i]) * (tone[i] - noise[i]);
            norm += tone[i] * tone[i];
        }
        assertTrue(diff > 0.05 * norm, "a tone and noise bursts embed apart: " + diff + " vs " + norm);
        // a steady tone: the window embeddings hardly move, so their spread is far below the bursts'
        double toneSpread = 0;
        double burstSpread = 0;
        for (int i = 192; i < 288; i++) {
            toneSpread += tone[i];
            burstSpread += noise[i];
        }
        assertTrue(burstSpread > 2 * toneSpread, "spread " + burstSpread + " vs " + toneSpread);
        // the max is never below the mean
        for (int i = 0; i < 96; i++) {
            assertTrue(tone[96 + i] >= tone[i] - 1e-4);
        }
        assertTrue(tone[288] < 0.1, "a pure tone is not speech: " + tone[288]);
        assertTrue(noise[288] >= 0 && noise[288] <= 1);
    }

    @Test
    void silenceAndAPureToneAreNotSpeech() throws Exception {
        try (SpeechModels m = new SpeechModels(MODELS, ai.djl.Device.cpu())) {
            assertEquals(0.0, m.speechRatio(new float[32000]));
            assertTrue(m.speechRatio(tone(220, 2)) < 0.1);
            assertEquals(16, m.embeddings(tone(220, 2)).length, "2 s: 197 mel frames, (197 - 76) / 8 + 1 windows");
            assertEquals(1, m.embeddings(tone(220, 0.3)).length, "a short track is padded to one window");
        }
    }

    @Test
    void sameInputSameVector() throws Exception {
        Path p = wav("again.wav", bursts(1.5, 7));
        float[] a = encoder.encode(List.of(new AudioFile(p))).get(0).vector();
        float[] b = encoder.encode(List.of(new AudioFile(p))).get(0).vector();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }

    @Test
    void badTracksFailPerPostWithOneLine() throws Exception {
        Path silent = wav("silent.wav", new float[32000]);
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not a wave file");
        Path tiny = wav("tiny.wav", tone(440, 0.01));
        List<Encoding> out = encoder.encode(List.of(new AudioFile(silent), new AudioFile(junk), new AudioFile(tiny),
                new TextInput("hello"), new AudioFile(wav("ok.wav", tone(300, 1)))));
        assertEquals(silent + ": silent audio track", out.get(0).error());
        for (int i = 0; i < 4; i++) {
            assertFalse(out.get(i).ok());
            assertFalse(out.get(i).error().contains("\n"), out.get(i).error());
        }
        assertTrue(out.get(1).error().contains("junk.wav"), out.get(1).error());
        assertEquals(tiny + ": audio shorter than 25 ms", out.get(2).error());
        assertTrue(out.get(4).ok(), "one bad post does not spoil the batch");
    }

    @Test
    void versionNamesTheModels() throws Exception {
        String v = encoder.version();
        for (String f : SpeechModels.FILES) {
            assertTrue(v.contains(SpeechModels.sha256(MODELS.resolve(f)).substring(0, 8)), v);
        }
        assertTrue(v.contains("mel-ba2b0e0f") && v.contains("emb-70d16429") && v.contains("vad-a35ebf52"), v);
    }
}
