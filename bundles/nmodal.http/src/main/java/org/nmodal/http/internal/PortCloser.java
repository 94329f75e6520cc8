package org.nmodal.http.internal;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Closes the HTTP server's listening ports the moment Felix HTTP starts to stop. Felix HTTP (jetty12 1.1.6) removes
 * every servlet before it stops Jetty, so a request arriving in between met no servlet and got Jetty's own 404 page,
 * not the 503 or refused connection a client can retry on. Felix HTTP gives no hook into its server; with its Jetty
 * MBeans registered ({@code org.apache.felix.http.mbeans}, on the platform MBean server this bundle offers it), the
 * connectors can be stopped through JMX from a synchronous listener, which runs before the stopping bundle's
 * activator does.
 */
final class PortCloser implements SynchronousBundleListener {
    private static final System.Logger LOG = System.getLogger("nmodal.http");

    @Override
    public void bundleChanged(BundleEvent event) {
        String name = event.getBundle().getSymbolicName();
        if (event.getType() == BundleEvent.STOPPING && name != null && name.startsWith("org.apache.felix.http.jetty")) {
            closePorts();
        }
    }

    /** Stops every Jetty connector known to the platform MBean server. */
    static void closePorts() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName n : server.queryNames(new ObjectName("org.eclipse.jetty.server:*"), null)) {
                if ("serverconnector".equals(n.getKeyProperty("type"))) {
                    server.invoke(n, "stop", new Object[0], new String[0]);
                }
            }
        } catch (Exception e) {
            // the server stops anyway a moment later; only the clean refusal is lost
            LOG.log(Level.DEBUG, "could not close the HTTP port early: " + e);
        }
    }
}
