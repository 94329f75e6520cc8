package org.nmodal.media.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.MediaException;

/** The declared size of a still image is read from its header, before any decoder runs, whatever the file's name. */
class ImageHeaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String format, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, format.equals("gif") ? BufferedImage.TYPE_BYTE_INDEXED
                : BufferedImage.TYPE_INT_RGB);
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, f.toFile()), format);
        return f;
    }

    @Test
    void theJdksFormatsDeclareTheirSize() throws IOException {
        assertArrayEquals(new long[] {37, 21}, ImageHeader.size(write("a.png", "png", 37, 21)));
        assertArrayEquals(new long[] {37, 21}, ImageHeader.size(write("a.jpg", "jpg", 37, 21)));
        assertArrayEquals(new long[] {37, 21}, ImageHeader.size(write("a.gif", "gif", 37, 21)));
        assertArrayEquals(new long[] {37, 21}, ImageHeader.size(write("a.bmp", "bmp", 37, 21)));
        assertNull(ImageHeader.size(Files.writeString(dir.resolve("t.txt"), "not an image at all, just text")));
    }

    @Test
    void aJpegWithSegmentsBeforeItsFrameHeader() throws IOException {
        byte[] jpg = Files.readAllBytes(write("b.jpg", "jpg", 50, 40));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpg, 0, 2);
        byte[] app1 = new byte[5000];
        out.write(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) ((app1.length + 2) >> 8), (byte) (app1.length + 2)});
        out.write(app1);
        out.write(jpg, 2, jpg.length - 2);
        Path f = Files.write(dir.resolve("exif.jpg"), out.toByteArray());
        assertArrayEquals(new long[] {50, 40}, ImageHeader.size(f));
    }

    private static byte[] riff(String chunk, byte... payload) {
        byte[] b = new byte[30];
        System.arraycopy("RIFF".getBytes(), 0, b, 0, 4);
        System.arraycopy("WEBP".getBytes(), 0, b, 8, 4);
        System.arraycopy(chunk.getBytes(), 0, b, 12, 4);
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    @Test
    void webpInItsThreeForms() throws IOException {
        // lossy: frame tag, start code 9d 01 2a, 14-bit width 3000 and height 2000 (little-endian)
        byte[] lossy = riff("VP8 ", (byte) 0, (byte) 0, (byte) 0, (byte) 0x9d, (byte) 0x01, (byte) 0x2a,
                (byte) (3000 & 0xff), (byte) (3000 >> 8), (byte) (2000 & 0xff), (byte) (2000 >> 8));
        assertArrayEquals(new long[] {3000, 2000}, ImageHeader.size(Files.write(dir.resolve("a.webp"), lossy)));
        // lossless: 0x2f, then width-1 and height-1 in 14 bits each
        long bits = (16383L - 1) | ((9000L - 1) << 14);
        byte[] lossless = riff("VP8L", (byte) 0x2f, (byte) bits, (byte) (bits >> 8), (byte) (bits >> 16),
                (byte) (bits >> 24));
        assertArrayEquals(new long[] {16383, 9000}, ImageHeader.size(Files.write(dir.resolve("b.webp"), lossless)));
        // extended: flags and reserved (4 bytes), then canvas width-1 and height-1 in 24 bits each
        int w = 100_000 - 1;
        int h = 70_000 - 1;
        byte[] extended = riff("VP8X", (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) w, (byte) (w >> 8),
                (byte) (w >> 16), (byte) h, (byte) (h >> 8), (byte) (h >> 16));
        assertArrayEquals(new long[] {100_000, 70_000}, ImageHeader.size(Files.write(dir.resolve("c.webp"), extended)));
    }

    @Test
    void aPngNamedWebpIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        Path png = write("big.png", "png", 120, 100);
        Path misnamed = Files.copy(png, dir.resolve("big.webp"));
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(new MediaLimits(1 << 20, 10_000, 60, 60));
        for (Path f : new Path[] {png, misnamed}) {
            MediaException e = assertThrows(MediaException.class, () -> decoder.image(f));
            assertTrue(e.getMessage().endsWith("declares 120x100 pixels, over the limit of 10000"), e.getMessage());
            e = assertThrows(MediaException.class, () -> decoder.frames(f, 4));
            assertTrue(e.getMessage().endsWith("declares 120x100 pixels, over the limit of 10000"), e.getMessage());
        }
        assertEquals(0, decoder.framesConverted.get());
    }
}
