package org.nmodal.http.internal;

import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The server's effective settings. Precedence for host and port: the {@code nmodal.serving} configuration, then the
 * framework properties the launcher sets ({@code org.apache.felix.http.host}, {@code org.osgi.service.http.port}),
 * then the defaults (127.0.0.1, 8321). A host other than loopback without a token is refused: the server stays on
 * 127.0.0.1 and {@link #problem()} says why.
 */
record Settings(String host, String port, int threads, int timeoutMs, String token, Set<String> allowedHosts,
        long maxRequestBytes, String problem) {
    static final String FELIX_PID = "org.apache.felix.http";
    static final String FELIX_HOST = "org.apache.felix.http.host";
    static final String FELIX_PORT = "org.osgi.service.http.port";
    static final String FELIX_ENABLE = "org.apache.felix.http.enable";
    static final String FELIX_TIMEOUT = "org.apache.felix.http.timeout";
    static final String FELIX_THREADS = "org.apache.felix.http.jetty.threadpool.max";
    static final String FELIX_ACCEPTORS = "org.apache.felix.http.jetty.acceptors";
    static final String FELIX_SELECTORS = "org.apache.felix.http.jetty.selectors";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PORT = "8321";

    /** The settings from the typed configuration, the keys it really holds, and the framework properties. */
    static Settings resolve(HttpServer.Config config, Map<String, ?> given, Function<String, String> framework) {
        String host = given.containsKey("host") ? config.host() : or(framework.apply(FELIX_HOST), DEFAULT_HOST);
        String port = given.containsKey("port") ? String.valueOf(config.port())
                : or(framework.apply(FELIX_PORT), DEFAULT_PORT);
        String token = config.token() == null ? "" : config.token().trim();
        Set<String> allowed = new LinkedHashSet<>();
        for (String a : config.allowedHosts() == null ? new String[0] : config.allowedHosts()) {
            Arrays.stream(a.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).forEach(allowed::add);
        }
        String problem = null;
        host = host.trim();
        if (!Access.isLoopbackName(host) && token.isEmpty()) {
            problem = "nmodal.serving: host " + (host.isEmpty() ? "(all addresses)" : host) + " is reachable from "
                    + "other machines but no token is set; listening on " + DEFAULT_HOST + " only (set token=... in "
                    + "nmodal.serving)";
            host = DEFAULT_HOST;
        }
        return new Settings(host, port.trim(), Math.max(2, config.threads()), Math.max(1000, config.requestTimeoutMs()),
                token, Set.copyOf(allowed), Math.max(0, config.maxRequestBytes()), problem);
    }

    /**
     * Felix HTTP's own configuration. Jetty's pool also runs the acceptors and selectors (by default up to 4 + 4 on a
     * big machine) and parks reserved threads (about a tenth of the pool, at least one) that take no queued request:
     * with one acceptor and one selector and a pool of {@code threads + 4 + threads / 8}, at least {@code threads + 1}
     * threads answer requests, so two slow bodies in a pool of two still leave one. {@code org.apache.felix.http.enable}
     * is never written: a launcher that disabled HTTP keeps it disabled.
     */
    Hashtable<String, Object> felix() {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put(FELIX_HOST, host);
        d.put(FELIX_PORT, port);
        d.put(FELIX_TIMEOUT, String.valueOf(timeoutMs));
        d.put(FELIX_THREADS, String.valueOf(threads + 4 + threads / 8));
        d.put(FELIX_ACCEPTORS, "1");
        d.put(FELIX_SELECTORS, "1");
        d.put("org.apache.felix.http.mbeans", "true"); // for PortCloser
        return d;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
