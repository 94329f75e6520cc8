/**
 * Classic image features, shared by the image encoder and the per-frame part of the video encoder, and the encoder
 * itself for use without an OSGi framework.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.nmodal.encoder.image;
