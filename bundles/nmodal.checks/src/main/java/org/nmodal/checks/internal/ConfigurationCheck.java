package org.nmodal.checks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.nmodal.checks.ConfigurationRefusals;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Typed configuration for every PID a bundle declares a metatype for: a value that is not of its declared type
 * ({@code maxPixels=lots} in a dropped {@code nmodal.media.cfg}) is refused with one warning naming the PID, the key
 * and the value, and the component is handed its last good configuration instead (the defaults if it never had one),
 * so it keeps working. A Config Admin plugin, so it applies to every way a configuration arrives: the load folder,
 * the Configurator, the console.
 */
@Component(service = {ConfigurationPlugin.class, ConfigurationRefusals.class}, immediate = true,
        property = {ConfigurationPlugin.CM_RANKING + ":Integer=500"})
public final class ConfigurationCheck implements ConfigurationPlugin, ConfigurationRefusals {
    private static final System.Logger LOG = System.getLogger("nmodal.config");
    private static final String FACTORY_PID = "service.factoryPid";
    private static final String PID = "service.pid";

    private final BundleContext context;
    private final BundleListener listener = e -> {
        if (e.getType() == BundleEvent.RESOLVED || e.getType() == BundleEvent.UNRESOLVED) {
            schema = null;
        }
    };
    private volatile ConfigSchema schema;
    private final Map<String, Map<String, Object>> lastGood = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    /** Watches the bundles, whose metatypes are read again when one comes or goes. */
    @Activate
    public ConfigurationCheck(BundleContext context) {
        this.context = context;
        context.addBundleListener(listener);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(listener);
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object factory = properties.get(FACTORY_PID);
        Object pid = properties.get(PID);
        String type = factory != null ? String.valueOf(factory) : pid == null ? null : String.valueOf(pid);
        if (type == null) {
            return;
        }
        String key = String.valueOf(pid);
        Map<String, Object> now = new LinkedHashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            now.put(k, properties.get(k));
        }
        Optional<String> problem = schema().problem(type, now);
        if (problem.isEmpty()) {
            lastGood.put(key, now);
            refused.remove(key);
            return;
        }
        Map<String, Object> good = lastGood.get(key);
        String line = problem.get() + "; refused, " + (good == null ? "the component keeps its defaults"
                : "the component keeps its last good configuration");
        if (!line.equals(refused.put(key, line))) {
            LOG.log(System.Logger.Level.WARNING, line);
        }
        List<String> drop = new ArrayList<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            drop.add(keys.nextElement());
        }
        if (good != null) {
            drop.forEach(properties::remove);
            good.forEach(properties::put);
        } else {
            // no good configuration yet: leave out every declared key that is wrong, so its default applies
            for (String k : drop) {
                if (schema().problem(type, Map.of(k, properties.get(k))).isPresent()) {
                    properties.remove(k);
                }
            }
        }
    }

    /** The configurations refused and why, one line each (for nmodal:status). */
    @Override
    public List<String> refusals() {
        return List.copyOf(new ArrayList<>(refused.values()));
    }

    private ConfigSchema schema() {
        ConfigSchema s = schema;
        if (s == null) {
            s = new ConfigSchema();
            for (Bundle b : context.getBundles()) {
                Enumeration<URL> xmls = b.getState() == Bundle.UNINSTALLED ? null
                        : b.findEntries("OSGI-INF/metatype", "*.xml", false);
                for (URL u : xmls == null ? Collections.<URL>emptyList() : Collections.list(xmls)) {
                    try (InputStream in = u.openStream()) {
                        s.read(in);
                    } catch (IOException | RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, b.getSymbolicName() + ": " + u + ": " + e.getMessage());
                    }
                }
            }
            schema = s;
        }
        return s;
    }
}
