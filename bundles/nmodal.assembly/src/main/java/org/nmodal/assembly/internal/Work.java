package org.nmodal.assembly.internal;

import java.nio.file.Path;
import org.nmodal.api.pipeline.WorkFolder;
import org.osgi.framework.BundleContext;

/** Where the work folder is: the {@code nmodal.work} property, else this bundle's data area. */
final class Work {
    private Work() {}

    static WorkFolder folder(BundleContext context) {
        String w = context.getProperty("nmodal.work");
        return new WorkFolder(w != null ? Path.of(w) : context.getDataFile("work").toPath());
    }
}
