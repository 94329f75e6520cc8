package org.nmodal.console.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The load folder is the truth on start: a configuration that FileInstall made from a {@code .cfg} file which is no
 * longer there (deleted while nmodal was stopped, or from another load folder, since the bundle cache and its
 * configurations are kept between runs) is removed, with one line naming it. Otherwise, say, a {@code port=0} from
 * yesterday's folder would go on moving the server.
 */
@Component(immediate = true)
public final class LoadFolderConfigurations {
    private static final System.Logger LOG = System.getLogger("nmodal.load");
    private static final String FILE = "felix.fileinstall.filename";

    /** Removes the configurations whose file is gone. */
    @Activate
    public LoadFolderConfigurations(@Reference ConfigurationAdmin cm) throws IOException, InvalidSyntaxException {
        Configuration[] all = cm.listConfigurations("(" + FILE + "=*)");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Object name = c.getProperties() == null ? null : c.getProperties().get(FILE);
            Path file = path(String.valueOf(name));
            if (file != null && !Files.exists(file)) {
                LOG.log(System.Logger.Level.INFO, c.getPid() + ": its file " + file + " is gone; configuration removed");
                c.delete();
            }
        }
    }

    /** FileInstall writes a file URL; older versions a plain path. Null when it is neither. */
    static Path path(String name) {
        try {
            return name.startsWith("file:") ? Path.of(URI.create(name)) : Path.of(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
