package org.nmodal.api.serving;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Latent space broadening over a served pipeline: the pool posts the model is least sure about for a class, plus
 * each one's nearest lookalikes in the fused space, written as a JSONL list to label.
 */
@ProviderType
public interface BroadeningService {
    /** Selects and writes the list; problems with the request are {@link org.nmodal.api.InvalidInputException}s. */
    BroadeningResult broaden(String pipeline, BroadeningRequest request) throws IOException;
}
