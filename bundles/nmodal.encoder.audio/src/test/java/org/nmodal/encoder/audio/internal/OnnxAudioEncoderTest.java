package org.nmodal.encoder.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.encoder.image.testing.OnnxTestModels;
import org.nmodal.media.StandaloneMedia;

/**
 * A real ONNX model (each input channel's mean, written byte by byte) behind the audio encoder: with the nft layout
 * the channels are the 64 mel bands, so the output is the track's mean log-mel spectrum, checked against LogMel.
 */
class OnnxAudioEncoderTest {
    @TempDir
    Path dir;

    @Test
    void feedsLogMelWindowsAndAveragesTheirOutputs() throws Exception {
        Path model = dir.resolve("bandmean.onnx");
        Files.write(model, OnnxTestModels.meanPool("logmel", 64, 1));
        // 2 s of a 440 Hz tone: 198 frames, two windows of 100 frames (the second padded)
        float[] tone = new float[32000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        Path wav = dir.resolve("tone.wav");
        StandaloneMedia.writer().wav(wav, new AudioClip(16000, tone));
        Path silent = dir.resolve("silent.wav");
        StandaloneMedia.writer().wav(silent, new AudioClip(16000, new float[16000]));
        OnnxAudioEncoder encoder = new OnnxAudioEncoder(Engine.getEngine("OnnxRuntime"), decoder(), "bandmean", model,
                100, "nft", "", "gpu", 1e-4);
        try {
            assertEquals(64, encoder.dimension(), "the model's output width, found by running it");
            assertEquals("cpu", encoder.device(), "no usable GPU here: cpu");
            List<Encoding> out = encoder.encode(List.of(new AudioFile(wav), new AudioFile(silent),
                    new AudioFile(dir.resolve("none.wav"))));
            float[] v = out.get(0).vector();
            // the band holding 440 Hz is far above the top band (7-8 kHz) of a pure tone
            double[][] mel = LogMel.of(decoder().audio(wav).samples()).logMel();
            int loud = 0;
            for (int b = 1; b < 64; b++) {
                loud = mel[mel.length / 2][b] > mel[mel.length / 2][loud] ? b : loud;
            }
            assertTrue(v[loud] > v[63] + 5, "tone band " + v[loud] + " vs top band " + v[63]);
            assertFalse(out.get(1).ok());
            assertEquals(silent + ": silent audio track", out.get(1).error());
            assertFalse(out.get(2).ok());
            assertTrue(out.get(2).error().contains("none.wav"), out.get(2).error());
        } finally {
            encoder.close();
        }
        assertThrows(IllegalArgumentException.class, () -> new OnnxAudioEncoder(Engine.getEngine("OnnxRuntime"),
                decoder(), "x", model, 100, "wide", "", "cpu", 1e-4));
    }

    private static MediaDecoder decoder() {
        return StandaloneMedia.decoder(Map.of("maxFileBytes", 1L << 26, "maxPixels", 1L << 24, "maxVideoSeconds", 60,
                "maxAudioSeconds", 60));
    }
}
