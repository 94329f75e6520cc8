/**
 * Served pipelines as typed services: serving a pipeline file, answering posts, the versions and events of each
 * served pipeline, scoring pools of posts, reading a model's provenance, and (since 1.1) scoring posts in batches
 * with a stored model version ({@link org.nmodal.api.serving.StoredModel}). The REST adapter, the console and the
 * dashboard use these types only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.nmodal.api.serving;
