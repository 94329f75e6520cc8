package org.nmodal.encoder.image;

import java.util.List;
import org.nmodal.api.media.DecodedImage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A pretrained image network applied to decoded pictures (video frames), published by the image encoder that owns
 * the network so that a video encoder can run it on sampled frames without loading a second copy.
 */
@ProviderType
public interface FrameEmbedder {
    /** The width of one picture's vector. */
    int dimension();

    /** Changes whenever the vectors change (the network, its weights, the pre-processing). */
    String version();

    /** One vector per picture, in order; any failure is an exception for the whole call. */
    List<float[]> embed(List<DecodedImage> pictures) throws Exception;
}
