package org.nmodal.encoder.image.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.media.internal.FfmpegMediaDecoder;

/** A real ONNX model, written here byte by byte (GlobalAveragePool then Flatten), run through the encoder. */
class OnnxImageEncoderTest {
    @TempDir
    Path dir;

    @Test
    void runsAnOnnxModelWithTheConfiguredNormalisation() throws Exception {
        Path model = dir.resolve("meanpool.onnx");
        Files.write(model, meanPoolModel());
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

    private static FfmpegMediaDecoder decoder() {
        return new FfmpegMediaDecoder(new FfmpegMediaDecoder.Config() {
            @Override public long maxFileBytes() { return 1 << 26; }
            @Override public long maxPixels() { return 1 << 24; }
            @Override public double maxVideoSeconds() { return 60; }
            @Override public double maxAudioSeconds() { return 60; }
            @Override public Class<? extends Annotation> annotationType() { return FfmpegMediaDecoder.Config.class; }
        });
    }

    /** ONNX ModelProto: image [N,3,H,W] -> GlobalAveragePool -> Flatten(axis 1) -> features [N,3]. */
    static byte[] meanPoolModel() {
        byte[] pool = msg(str(1, "image"), str(2, "pooled"), str(3, "pool"), str(4, "GlobalAveragePool"));
        byte[] axis = msg(str(1, "axis"), num(3, 1), num(20, 2));
        byte[] flat = msg(str(1, "pooled"), str(2, "features"), str(3, "flat"), str(4, "Flatten"), sub(5, axis));
        byte[] input = valueInfo("image", sub(1, msg(str(2, "N"))), sub(1, msg(num(1, 3))), sub(1, msg(str(2, "H"))),
                sub(1, msg(str(2, "W"))));
        byte[] output = valueInfo("features", sub(1, msg(str(2, "N"))), sub(1, msg(num(1, 3))));
        byte[] graph = msg(sub(1, pool), sub(1, flat), str(2, "g"), sub(11, input), sub(12, output));
        return msg(num(1, 7), str(2, "nmodal-test"), sub(7, graph), sub(8, msg(num(2, 13))));
    }

    private static byte[] valueInfo(String name, byte[]... dims) {
        byte[] shape = msg(dims);
        byte[] tensor = msg(num(1, 1), sub(2, shape));
        return msg(str(1, name), sub(2, msg(sub(1, tensor))));
    }

    private static byte[] msg(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] num(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) field << 3);
        varint(out, value);
        return out.toByteArray();
    }

    private static byte[] str(int field, String value) {
        return sub(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sub(int field, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) field << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
