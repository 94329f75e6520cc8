package org.nmodal.console.internal;

import java.util.Optional;
import org.nmodal.http.HttpStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Where the runtime's one HTTP server answers, and why it refused a setting, for the lines the console prints. */
final class Http {
    private Http() {}

    /** The server's status, or empty when no HTTP bundle runs (the import is optional). */
    static Optional<HttpStatus> status(BundleContext context) {
        try {
            ServiceReference<HttpStatus> ref = context.getServiceReference(HttpStatus.class);
            return ref == null ? Optional.empty() : Optional.ofNullable(context.getService(ref));
        } catch (NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    /** {@code http://host:port}, or null while nothing listens (one-shot commands start no server). */
    static String address(BundleContext context) {
        return status(context).flatMap(HttpStatus::address).orElse(null);
    }
}
