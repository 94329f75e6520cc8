package org.nmodal.http;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The state of nmodal's one HTTP server (a service; {@code nmodal:status} prints it). */
@ProviderType
public interface HttpStatus {
    /**
     * Where the server listens, for example {@code http://127.0.0.1:8321}; empty while it does not (starting,
     * disabled for a one-shot command, or Felix HTTP absent).
     *
     * @return the base address, without a trailing slash
     */
    Optional<String> address();

    /**
     * Why the configuration was not applied as given, in one line (for example a non-loopback host without a token:
     * the server then stays on 127.0.0.1); empty when it was.
     *
     * @return the refusal, or empty
     */
    Optional<String> problem();

    /**
     * The largest request body a servlet should accept ({@code maxRequestBytes} of {@code nmodal.serving}).
     *
     * @return bytes
     */
    long maxRequestBytes();
}
