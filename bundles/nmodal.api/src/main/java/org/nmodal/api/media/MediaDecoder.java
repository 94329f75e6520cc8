package org.nmodal.api.media;

import java.nio.file.Path;
import java.util.List;

/**
 * Decodes media files for encoders, within configured size, pixel and duration limits. Registered with
 * {@code nmodal.kind=media}. Every failure is a {@link MediaException} naming the file; a corrupt file never
 * crashes or hangs the caller.
 */
public interface MediaDecoder {
    /** Decodes an image (PNG, JPEG, BMP, first frame of anything FFmpeg reads). */
    DecodedImage image(Path file) throws MediaException;

    /**
     * Samples {@code count} evenly spaced frames of a video.
     *
     * @return between 1 and {@code count} frames, in time order
     */
    List<DecodedImage> frames(Path file, int count) throws MediaException;

    /** Reads the sound of an audio file, or a video's sound track, as 16 kHz mono PCM. */
    AudioClip audio(Path file) throws MediaException;
}
