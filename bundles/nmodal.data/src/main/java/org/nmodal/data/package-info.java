/** Reading data sets into frozen features per modality, and caching encoder outputs on disk. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package org.nmodal.data;
