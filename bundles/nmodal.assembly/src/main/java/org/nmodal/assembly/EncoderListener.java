package org.nmodal.assembly;

import org.osgi.annotation.versioning.ConsumerType;

/** Told when encoders come and go; called on the thread that registers or unregisters the service. */
@ConsumerType
public interface EncoderListener {
    /** A new encoder service is available (possibly a higher-ranked one for a name already known). */
    void encoderAdded(String modality, String name);

    /**
     * The last encoder service of this name is about to go. Returns once new work no longer needs it; calls already
     * holding an {@link EncoderLease} are then drained before the service is really released.
     */
    void encoderRemoving(String modality, String name);
}
