/**
 * What nmodal refused on its way in: configuration values that do not fit their PID's metatype, and load-folder
 * files that are no bundle or configuration. Shown by {@code nmodal:status}, {@code nmodal:components} and the
 * dashboard.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.checks;
