/** Downstream classifiers trained on fused embeddings. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.api.classify;
