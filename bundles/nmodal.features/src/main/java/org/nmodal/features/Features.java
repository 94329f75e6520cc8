package org.nmodal.features;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Encoder calls that a misbehaving encoder cannot break (it throws, returns the wrong dimension or count, or blocks:
 * its own inputs fail with one line naming it), and one modality's features for many posts, from the feature cache
 * where possible.
 */
@ProviderType
public interface Features {
    /** Encodes with a time limit; never throws for what the encoder does. */
    List<Encoding> encode(ModalityEncoder encoder, String name, List<? extends ModalityInput> inputs, long timeoutMs);

    /**
     * One modality's vectors for every post, in post order (null where the post lacks it or it failed), taken from
     * the feature cache where possible; what is encoded is added to the cache.
     *
     * @param errors told one line per post that could not be encoded
     * @param progress told "modality done/total" as batches finish; it may throw to stop the extraction
     * @param log told one summary line
     * @param timeoutMs how long one encoder call (a batch) may take
     */
    float[][] extract(List<Post> posts, String modality, ModalityEncoder encoder, Consumer<String> errors,
            Consumer<String> progress, Consumer<String> log, long timeoutMs) throws IOException;

    /** An encoding error as one line: media errors already start with the file, others get the input named. */
    static String describe(ModalityInput input, String error) {
        return error.startsWith(input.describe()) ? error : input.describe() + ": " + error;
    }
}
