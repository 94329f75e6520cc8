/**
 * The demo data generator: posts with text, image, video and audio whose stance and account show in every modality,
 * an object of their own (retrieval), metadata of varying relevance (adapters) and hashtags (recommendation).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.demo;
