package org.nmodal.assembly;

import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.annotation.versioning.ProviderType;

/** An encoder held for one call: the service stays usable until the lease is closed, even while it is leaving. */
@ProviderType
public interface EncoderLease extends AutoCloseable {
    /** The encoder held. */
    ModalityEncoder encoder();

    /** Gives the encoder back; a leaving encoder is released once its last lease is closed. Idempotent. */
    @Override
    void close();
}
