/** Classic image features, shared by the image encoder and the per-frame part of the video encoder. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.encoder.image;
