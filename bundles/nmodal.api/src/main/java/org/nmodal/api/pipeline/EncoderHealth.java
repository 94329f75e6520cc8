package org.nmodal.api.pipeline;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** What encoders did wrong when called since the runtime started, for status lines and the component list. */
@ProviderType
public interface EncoderHealth {
    /** Failures by encoder name. */
    Map<String, EncoderFailure> failures();
}
