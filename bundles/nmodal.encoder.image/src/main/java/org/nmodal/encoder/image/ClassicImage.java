package org.nmodal.encoder.image;

import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.encoder.image.internal.ClassicImageEncoder;

/** The {@code image-classic} encoder for code that runs without an OSGi framework (benchmarks, tools, embedding). */
public final class ClassicImage {
    private ClassicImage() {}

    /** The encoder over the given decoder. */
    public static ModalityEncoder encoder(MediaDecoder media) {
        return new ClassicImageEncoder(media);
    }
}
