/**
 * Hashtag recommendation (Tag2Vec): the {@code recommend} block of a pipeline file and the served recommendation
 * call. The REST adapter and the console use these types only.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.nmodal.api.recommend;
