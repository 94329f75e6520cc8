/**
 * Pipelines as typed services: the parsed pipeline file, running it, its progress, the work folder's layout and the
 * health of the encoders it calls. The console, the dashboard and third-party tools drive runs through these types
 * only; the bundles that implement them keep everything else internal.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.nmodal.api.pipeline;
