/** Helpers for bundles that run models on the DJL engines the platform publishes: device choice with CPU fallback. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.djl;
