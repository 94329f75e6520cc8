package org.nmodal.api.media;

/**
 * An RGB image, 8 bits per channel, interleaved row-major ({@code rgb[3 * (y * width + x) + c]}).
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb {@code 3 * width * height} bytes
 * @param timestampSeconds position in the video, 0 for still images
 */
public record DecodedImage(int width, int height, byte[] rgb, double timestampSeconds) {
    /** Checks the buffer size. */
    public DecodedImage {
        if (width <= 0 || height <= 0 || rgb == null || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("bad image buffer " + width + "x" + height);
        }
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y), 0..255. */
    public int channel(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xff;
    }
}
