/** Decoding of images, video frames and audio, with limits, for encoders. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.api.media;
