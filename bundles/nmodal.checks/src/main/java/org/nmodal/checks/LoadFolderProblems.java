package org.nmodal.checks;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Files in the load folder that FileInstall cannot use (not a bundle, an empty jar, a garbled .cfg), one line each. */
@ProviderType
public interface LoadFolderProblems {
    /** One line per unusable file: the file and what is wrong with it. */
    List<String> problems();
}
