/** N-modal training objectives and per-sample reweighting. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.nmodal.api.loss;
