package org.nmodal.media.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The width and height an image file declares in its header, read without decoding anything, whatever the file is
 * named: PNG, JPEG, GIF, BMP and WebP (lossy, lossless and extended). FFmpeg decodes a first frame to learn a still
 * image's size, so a small file declaring a huge image would cost its whole memory before any limit could apply.
 */
final class ImageHeader {
    /** How far into a JPEG its frame header is looked for (EXIF and ICC segments come first). */
    private static final int JPEG_SCAN = 1 << 20;

    private ImageHeader() {}

    /** {@code {width, height}} as declared, or null for another format or a header that says nothing usable. */
    static long[] size(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new java.io.BufferedInputStream(raw, 8192)) {
            byte[] h = in.readNBytes(30);
            if (h.length >= 24 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G'
                    && h[12] == 'I' && h[13] == 'H' && h[14] == 'D' && h[15] == 'R') {
                return new long[] {be32(h, 16), be32(h, 20)};
            }
            if (h.length >= 10 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8') {
                return new long[] {le16(h, 6), le16(h, 8)};
            }
            if (h.length >= 26 && h[0] == 'B' && h[1] == 'M') {
                return new long[] {Math.abs((long) le32(h, 18)), Math.abs((long) le32(h, 22))};
            }
            if (h.length >= 30 && h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F' && h[8] == 'W' && h[9] == 'E'
                    && h[10] == 'B' && h[11] == 'P') {
                return webp(h);
            }
            if (h.length >= 4 && (h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xd8) {
                return jpeg(h, in);
            }
            return null;
        }
    }

    private static long[] webp(byte[] h) {
        String chunk = new String(h, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 " -> {
                // frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height
                return new long[] {le16(h, 26) & 0x3fff, le16(h, 28) & 0x3fff};
            }
            case "VP8L" -> {
                long bits = le32(h, 21) & 0xffffffffL;
                return new long[] {(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
            }
            case "VP8X" -> {
                return new long[] {le24(h, 24) + 1, le24(h, 27) + 1};
            }
            default -> {
                return null;
            }
        }
    }

    /** Walks the JPEG's marker segments up to its first start-of-frame, which holds the size. */
    private static long[] jpeg(byte[] head, InputStream rest) throws IOException {
        InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head, 2, head.length - 2), rest);
        long read = 2;
        while (read < JPEG_SCAN) {
            int b = in.read();
            read++;
            if (b != 0xff) {
                if (b < 0) {
                    return null;
                }
                continue; // not at a marker: tolerate padding or junk between segments
            }
            int marker = in.read();
            read++;
            while (marker == 0xff) {
                marker = in.read();
                read++;
            }
            if (marker < 0 || marker == 0xd9 || marker == 0xda) {
                return null; // end of image, or the scan itself before any frame header
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                continue; // markers without a length
            }
            byte[] len = in.readNBytes(2);
            if (len.length < 2) {
                return null;
            }
            int length = ((len[0] & 0xff) << 8) | (len[1] & 0xff);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                byte[] f = in.readNBytes(5);
                return f.length < 5 ? null : new long[] {((f[3] & 0xff) << 8) | (f[4] & 0xff),
                        ((f[1] & 0xff) << 8) | (f[2] & 0xff)};
            }
            if (length < 2) {
                return null;
            }
            in.skipNBytes(Math.min(length - 2, Math.max(0, JPEG_SCAN - read)));
            read += length;
        }
        return null;
    }

    private static long be32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | ((b[i + 3] & 0xff) << 24);
    }

    private static long le24(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((long) (b[i + 2] & 0xff) << 16);
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }
}
