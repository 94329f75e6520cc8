package org.nmodal.console.internal;

import java.lang.management.ManagementFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Remembers when the last bundle finished starting, counted from JVM start, so operators (and the boot benchmark)
 * can see how long the runtime takes to come up and which bundle came last.
 */
@Component(service = BootClock.class, immediate = true)
public final class BootClock implements SynchronousBundleListener {
    private final BundleContext context;
    private final long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    private volatile long lastStartedMs;
    private volatile String lastBundle;

    /** Starts listening; bundles already active count as started now. */
    @Activate
    public BootClock(BundleContext context) {
        this.context = context;
        lastStartedMs = System.currentTimeMillis();
        lastBundle = context.getBundle().getSymbolicName();
        context.addBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED) {
            lastStartedMs = System.currentTimeMillis();
            lastBundle = event.getBundle().getSymbolicName();
        }
    }

    /** Milliseconds from JVM start until the last bundle started. */
    long bootMillis() {
        return lastStartedMs - jvmStartMs;
    }

    /** The bundle that started last. */
    String lastBundle() {
        return lastBundle;
    }

    /** Bundles not ACTIVE (fragments excepted), as "name (state)". */
    String inactive() {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                sb.append(sb.length() == 0 ? "" : ", ").append(b.getSymbolicName()).append(" (")
                        .append(b.getState() == Bundle.RESOLVED ? "resolved" : b.getState() == Bundle.INSTALLED
                                ? "installed" : "starting").append(')');
            }
        }
        return sb.toString();
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }
}
