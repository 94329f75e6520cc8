package org.nmodal.media;

import java.util.Map;
import org.nmodal.api.TypedConfig;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.media.internal.FfmpegMediaDecoder;
import org.nmodal.media.internal.FfmpegMediaWriter;

/**
 * The FFmpeg decoder and writer for code that runs without an OSGi framework (benchmarks, tools, embedding); inside
 * OSGi they are the {@code MediaDecoder} and {@code MediaWriter} services.
 */
public final class StandaloneMedia {
    private StandaloneMedia() {}

    /**
     * A decoder with the limits of PID {@code nmodal.media} ({@code maxFileBytes}, {@code maxPixels},
     * {@code maxVideoSeconds}, {@code maxAudioSeconds}); missing ones take their defaults.
     */
    public static MediaDecoder decoder(Map<String, ?> limits) {
        return new FfmpegMediaDecoder(TypedConfig.of(FfmpegMediaDecoder.Config.class, limits));
    }

    /** The writer (PNG, MP4 with sound, WAV). */
    public static MediaWriter writer() {
        return new FfmpegMediaWriter();
    }
}
