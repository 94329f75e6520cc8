package org.nmodal.encoder.image.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.encoder.image.testing.OnnxTestModels;
import org.nmodal.media.StandaloneMedia;

/** A real ONNX model, written here byte by byte (GlobalAveragePool then Flatten), run through the encoder. */
class OnnxImageEncoderTest {
    @TempDir
    Path dir;

    @Test
    void runsAnOnnxModelWithTheConfiguredNormalisation() throws Exception {
        Path model = dir.resolve("meanpool.onnx");
        Files.write(model, OnnxTestModels.meanPool("image", 3, 2));
        Path png = dir.resolve("teal.png");
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, 0 << 16 | 128 << 8 | 255);
            }
        }
        ImageIO.write(img, "png", png.toFile());
        OnnxImageEncoder encoder = new OnnxImageEncoder(Engine.getEngine("OnnxRuntime"), decoder(), "meanpool",
                model, 32, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, "", "gpu");
        try {
            assertEquals(3, encoder.dimension(), "the model's output width, found by running it");
            assertEquals("cpu", encoder.device(), "no usable GPU here: cpu");
            List<Encoding> out = encoder.encode(List.of(new ImageFile(png), new ImageFile(dir.resolve("none.png"))));
            float[] v = out.get(0).vector();
            // (value / 255 - 0.5) / 0.5 per channel
            assertEquals(-1.0, v[0], 1e-4);
            assertEquals(128 / 127.5 - 1, v[1], 1e-3);
            assertEquals(1.0, v[2], 1e-4);
            assertFalse(out.get(1).ok());
            assertTrue(out.get(1).error().contains("none.png: no such file"), out.get(1).error());
        } finally {
            encoder.deactivate();
        }
    }

    @Test
    void aMissingModelIsNamed() {
        Path missing = dir.resolve("gone.onnx");
        IOException e = assertThrows(IOException.class, () -> new OnnxImageEncoder(Engine.getEngine("OnnxRuntime"),
                decoder(), "x", missing, 32, new float[] {0, 0, 0}, new float[] {1, 1, 1}, "", "cpu"));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxImageEncoder.floats("0.5,0.5", "mean"));
    }

    private static MediaDecoder decoder() {
        return StandaloneMedia.decoder(Map.of("maxFileBytes", 1L << 26, "maxPixels", 1L << 24, "maxVideoSeconds", 60,
                "maxAudioSeconds", 60));
    }
}
