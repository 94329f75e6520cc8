package org.nmodal.http.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.nmodal.http.HttpStatus;
import org.nmodal.http.NmodalHttp;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;

/**
 * nmodal's one HTTP server: writes host, port, idle timeout and thread pool from {@code nmodal.serving} into Felix
 * HTTP's configuration ({@code org.apache.felix.http}), registers the {@code nmodal} servlet context and reports where
 * the server listens.
 */
@RequireHttpWhiteboard
@Component(service = HttpStatus.class, configurationPid = NmodalHttp.PID, immediate = true)
@Designate(ocd = HttpServer.Config.class)
public final class HttpServer implements HttpStatus {
    private static final System.Logger LOG = System.getLogger("nmodal.http");

    /** Configuration, PID {@code nmodal.serving}. */
    @ObjectClassDefinition(name = "nmodal HTTP server", description = "The one HTTP server: dashboard and REST API")
    public @interface Config {
        /** Address to listen on. */
        @AttributeDefinition(description = "Address to listen on; anything but loopback needs a token")
        String host() default "127.0.0.1";

        /** Port; 0 picks a free one. */
        @AttributeDefinition(description = "Port; 0 picks a free one")
        int port() default 8321;

        /** Access token. */
        @AttributeDefinition(description = "Token clients send (Authorization: Bearer <token>, or ?token= from the "
                + "browser); required for a non-loopback host; when set, every request needs it")
        String token() default "";

        /** Extra Host header names. */
        @AttributeDefinition(description = "Host header names accepted besides loopback and the host (for a reverse "
                + "proxy or a DNS name of this machine)")
        String[] allowedHosts() default {};

        /** Request threads. */
        @AttributeDefinition(description = "Threads answering requests")
        int threads() default 8;

        /** Idle timeout. */
        @AttributeDefinition(description = "Milliseconds a connection may stay silent (headers or body) before it "
                + "is closed")
        int requestTimeoutMs() default 30_000;

        /** Largest body. */
        @AttributeDefinition(description = "Largest request body in bytes")
        long maxRequestBytes() default 32L * 1024 * 1024;

        /** Read by the serving bundle, listed here so the one PID is described in one place. */
        @AttributeDefinition(description = "Milliseconds an encoder may take for one request's input; past it the "
                + "input is skipped with a line naming the encoder")
        long encodeTimeoutMs() default 30_000;
    }

    private final BundleContext context;
    private final ConfigurationAdmin cm;
    private final Gate gate;
    private final ServiceRegistration<ServletContextHelper> registration;
    private volatile Settings settings;
    private volatile ServiceReference<HttpServiceRuntime> runtime;
    private final PortCloser closer = new PortCloser();
    private ServiceRegistration<javax.management.MBeanServer> mbeans;

    /** Applies the configuration and registers the context. */
    @Activate
    public HttpServer(BundleContext context, @Reference ConfigurationAdmin cm, Config config) {
        this.context = context;
        this.cm = cm;
        this.settings = Settings.resolve(config, given(), context::getProperty);
        this.gate = new Gate(context.getBundle(), settings);
        apply(settings);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME, NmodalHttp.CONTEXT_NAME);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH, "/");
        this.registration = context.registerService(ServletContextHelper.class, gate, props);
        if (!"false".equalsIgnoreCase(String.valueOf(context.getProperty(Settings.FELIX_ENABLE)))) {
            // Felix HTTP registers Jetty's beans on it, so that the port can be closed before the servlets go
            this.mbeans = context.registerService(javax.management.MBeanServer.class,
                    java.lang.management.ManagementFactory.getPlatformMBeanServer(), null);
            context.addBundleListener(closer);
        }
    }

    @Modified
    void modified(Config config) {
        Settings s = Settings.resolve(config, given(), context::getProperty);
        settings = s;
        gate.update(s);
        apply(s);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(closer);
        for (ServiceRegistration<?> r : java.util.Arrays.asList(registration, mbeans)) {
            try {
                if (r != null) {
                    r.unregister();
                }
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedRuntime", unbind = "unbindRuntime")
    void bindRuntime(ServiceReference<HttpServiceRuntime> ref) {
        runtime = ref;
    }

    void updatedRuntime(ServiceReference<HttpServiceRuntime> ref) {
        runtime = ref;
    }

    void unbindRuntime(ServiceReference<HttpServiceRuntime> ref) {
        if (runtime == ref) {
            runtime = null;
        }
    }

    @Override
    public Optional<String> address() {
        ServiceReference<HttpServiceRuntime> r = runtime;
        Object port = r == null ? null : r.getProperty(Settings.FELIX_PORT);
        if (port == null || "false".equals(String.valueOf(r.getProperty(Settings.FELIX_ENABLE)))) {
            return Optional.empty();
        }
        String host = settings.host();
        if (Access.isWildcard(host)) {
            host = "0.0.0.0";
        }
        return Optional.of("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(settings.problem());
    }

    @Override
    public long maxRequestBytes() {
        return settings.maxRequestBytes();
    }

    /**
     * The keys the {@code nmodal.serving} configuration really holds (the component's properties also carry the
     * defaults, so they cannot tell a configured port from the default one).
     */
    private Map<String, Object> given() {
        try {
            Configuration[] found = cm.listConfigurations("(service.pid=" + NmodalHttp.PID + ")");
            Map<String, Object> keys = new java.util.HashMap<>();
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                var d = found[0].getProperties();
                for (var e = d.keys(); e.hasMoreElements();) {
                    String k = e.nextElement();
                    keys.put(k, d.get(k));
                }
            }
            return keys;
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.log(Level.WARNING, "nmodal.serving: cannot read the configuration: " + e.getMessage());
            return Map.of();
        }
    }

    /** Writes Felix HTTP's configuration (Jetty restarts only when a value changed); not when HTTP is disabled. */
    private void apply(Settings s) {
        if (s.problem() != null) {
            LOG.log(Level.ERROR, s.problem());
        }
        if ("false".equalsIgnoreCase(String.valueOf(context.getProperty(Settings.FELIX_ENABLE)))) {
            return; // a one-shot command: no server, and no restart that would log about it
        }
        try {
            // "?": a multi-location configuration, so that Felix HTTP (another bundle) receives it
            Configuration c = cm.getConfiguration(Settings.FELIX_PID, "?");
            c.updateIfDifferent(s.felix());
        } catch (IOException e) {
            LOG.log(Level.ERROR, "nmodal.serving: cannot configure Felix HTTP: " + e.getMessage());
        }
    }
}
