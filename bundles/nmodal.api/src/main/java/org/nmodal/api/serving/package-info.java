/**
 * Served pipelines as typed services: serving a pipeline file, answering posts, the versions and events of each
 * served pipeline, scoring pools of posts and reading a model's provenance. The REST adapter, the console and the
 * dashboard use these types only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.api.serving;
