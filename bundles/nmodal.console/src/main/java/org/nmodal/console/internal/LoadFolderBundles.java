package org.nmodal.console.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The load folder is the truth on start: a bundle FileInstall installed from a jar that was deleted while nmodal was
 * stopped is uninstalled here, at start level 1, before the kept bundle cache starts it again at level 4 (FileInstall
 * would remove it only after its first scan, with its services up in between). The launcher empties the cache when the
 * load folder itself changes.
 */
@Component(immediate = true)
public final class LoadFolderBundles {
    private static final System.Logger LOG = System.getLogger("nmodal.load");

    /** Uninstalls the bundles whose jar is gone. */
    @Activate
    public LoadFolderBundles(BundleContext context) {
        List<Bundle> removed = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            Path file = b.getLocation().startsWith("file:") ? LoadFolderConfigurations.path(b.getLocation()) : null;
            if (file != null && !Files.exists(file)) {
                try {
                    b.uninstall();
                    removed.add(b);
                    LOG.log(System.Logger.Level.INFO, b.getSymbolicName() + ": its file " + file + " is gone; bundle "
                            + "uninstalled");
                } catch (BundleException | IllegalStateException e) {
                    LOG.log(System.Logger.Level.WARNING, b.getSymbolicName() + ": its file " + file + " is gone, but "
                            + "it could not be uninstalled: " + e.getMessage());
                }
            }
        }
        if (!removed.isEmpty()) {
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(removed);
        }
    }
}
