/** Helpers for bundles that run models on the DJL engines the platform publishes: device choice with CPU fallback, autograd-safe scalars, grad mode. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.djl;
