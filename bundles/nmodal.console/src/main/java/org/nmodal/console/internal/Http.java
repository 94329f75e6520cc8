package org.nmodal.console.internal;

import org.osgi.framework.BundleContext;

/** Where the runtime's one HTTP server answers, for the lines the console prints. */
final class Http {
    private Http() {}

    /** {@code http://host:port}, or null when HTTP is off in this mode (one-shot commands). */
    static String address(BundleContext context) {
        if ("false".equals(context.getProperty("org.apache.felix.http.enable"))) {
            return null;
        }
        String host = context.getProperty("org.apache.felix.http.host");
        String port = context.getProperty("org.osgi.service.http.port");
        return "http://" + (host == null ? "127.0.0.1" : host) + ":" + (port == null ? "8321" : port);
    }
}
