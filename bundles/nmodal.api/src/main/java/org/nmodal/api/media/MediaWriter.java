package org.nmodal.api.media;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes media files (for generated data sets and tests), registered with {@code nmodal.kind=media}. Files are
 * written under a temporary name and moved into place, so a reader never sees half a file.
 */
public interface MediaWriter {
    /** Writes a PNG image. */
    void png(Path file, DecodedImage image) throws MediaException;

    /**
     * Writes an MP4 video (MPEG-4 part 2), with an AAC sound track when {@code audio} is not null.
     *
     * @param frames frames of equal size, shown at {@code fps}
     * @param fps frames per second
     * @param audio the sound track, or null for none
     */
    void mp4(Path file, List<DecodedImage> frames, double fps, AudioClip audio) throws MediaException;

    /** Writes a 16-bit PCM WAV file. */
    void wav(Path file, AudioClip audio) throws MediaException;
}
