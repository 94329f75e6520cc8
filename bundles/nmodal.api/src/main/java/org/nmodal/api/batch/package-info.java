/** Batches of per-modality embeddings with a presence mask, shared by losses and fusions. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.api.batch;
