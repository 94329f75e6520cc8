/** Posts and their per-modality inputs, labels and splits: the values every extension point exchanges. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.api.data;
