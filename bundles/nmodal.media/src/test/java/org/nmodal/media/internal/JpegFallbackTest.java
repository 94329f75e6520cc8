package org.nmodal.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.DecodedImage;

/**
 * A colour JPEG that carries a grey ICC profile, as one Twitter I image does: the JDK's reader fails with "Numbers of
 * source Raster bands and source color space components do not match"; the decoder reads it through TwelveMonkeys.
 */
class JpegFallbackTest {
    private final FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(MediaLimits.DEFAULT);

    @TempDir
    Path dir;

    @Test
    void aColourJpegWithAGreyProfileDecodes() throws Exception {
        Path file = dir.resolve("grey-profile.jpg");
        Files.write(file, withIccProfile(orangeJpeg(64, 48), ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData()));
        Exception jdk = assertThrows(Exception.class, () -> jdkRead(file),
                "the JDK's reader still refuses this file; the test no longer covers the fallback");
        assertTrue(String.valueOf(jdk.getMessage()).contains("bands"), jdk.getMessage());

        DecodedImage img = decoder.image(file);
        assertEquals(64, img.width());
        assertEquals(48, img.height());
        // an orange picture stays orange-ish whichever way the profile is honoured: red over blue
        int r = img.channel(32, 24, 0);
        int b = img.channel(32, 24, 2);
        assertTrue(r > b + 60, "red " + r + " blue " + b);
    }

    @Test
    void aCmykJpegDecodes() throws Exception {
        Path file = dir.resolve("cmyk.jpg");
        Files.write(file, orangeCmykJpeg(40, 30));
        // the JDK's reader takes the file but returns the four ink samples as if they were colours
        assertEquals(4, jdkRead(file).getRaster().getNumBands());

        DecodedImage img = decoder.image(file);
        assertEquals(40, img.width());
        assertEquals(30, img.height());
        // C 0, M 128, Y 220, K 10 is an orange near (245, 122, 34) by the naive formula; a CMYK profile shifts it a
        // little, the raw samples read as colours would be (251, 184, 102)
        int r = img.channel(20, 15, 0);
        int g = img.channel(20, 15, 1);
        int b = img.channel(20, 15, 2);
        assertTrue(r > 200 && g > 80 && g < 160 && b < 80, "decoded " + r + "," + g + "," + b);
    }

    @Test
    void aBrokenJpegStillFailsWithOneLine() throws Exception {
        Path file = dir.resolve("broken.jpg");
        byte[] jpeg = orangeJpeg(32, 32);
        byte[] head = java.util.Arrays.copyOf(jpeg, 200);
        Files.write(file, head);
        Exception e = assertThrows(Exception.class, () -> decoder.image(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** The JDK's own JPEG reader (TwelveMonkeys is on the test class path and registered with ImageIO here). */
    private static BufferedImage jdkRead(Path file) throws IOException {
        java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            javax.imageio.ImageReader reader = readers.next();
            if (reader.getClass().getName().startsWith("com.twelvemonkeys")) {
                continue;
            }
            try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                reader.setInput(in);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }

    private static byte[] orangeJpeg(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 240 << 16 | (120 + x) << 8 | 30);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    /**
     * A four-channel (CMYK) JPEG as print workflows write them: the JDK's writer takes a bare raster and marks it with
     * an Adobe segment; the samples are stored inverted, as Adobe's convention has it.
     */
    private static byte[] orangeCmykJpeg(int w, int h) throws IOException {
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] cmyk = {0, 128, 220, 10};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 4; c++) {
                    raster.setSample(x, y, c, 255 - cmyk[c]);
                }
            }
        }
        javax.imageio.ImageWriter writer = jdkWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        return asPlainCmyk(out.toByteArray());
    }

    /**
     * The JDK's writer stores the four samples without saying what they are; print workflows add an Adobe segment
     * with colour transform 0 (plain, inverted CMYK), which this inserts after the start marker.
     */
    private static byte[] asPlainCmyk(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static javax.imageio.ImageWriter jdkWriter() {
        java.util.Iterator<javax.imageio.ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            javax.imageio.ImageWriter writer = writers.next();
            if (!writer.getClass().getName().startsWith("com.twelvemonkeys")) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    /** Inserts an APP2 ICC_PROFILE segment (one chunk) right after the SOI marker. */
    private static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + id.length + 2 + profile.length;
        out.write(0xFF);
        out.write(0xE2);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(id);
        out.write(1); // chunk 1
        out.write(1); // of 1
        out.writeBytes(profile);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
