package org.nmodal.api.media;

/**
 * Mono PCM samples in {@code [-1, 1]}.
 *
 * @param sampleRate samples per second (16000 from {@link MediaDecoder#audio})
 * @param samples the signal
 */
public record AudioClip(int sampleRate, float[] samples) {
    /** Length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
