package org.nmodal.media.internal;

/**
 * Hard limits that keep one bad or huge file from exhausting memory or time.
 *
 * @param maxFileBytes largest file accepted
 * @param maxPixels largest width x height of an image or video frame
 * @param maxVideoSeconds longest video accepted
 * @param maxAudioSeconds longest audio accepted
 */
record MediaLimits(long maxFileBytes, long maxPixels, double maxVideoSeconds, double maxAudioSeconds) {
    static final MediaLimits DEFAULT = new MediaLimits(512L << 20, 16_000_000L, 600, 600);
}
