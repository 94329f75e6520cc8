/** Strategies that fuse the embeddings of the modalities present into one vector. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.api.fusion;
