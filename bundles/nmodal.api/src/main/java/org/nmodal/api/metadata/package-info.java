/** Adapters that turn post metadata (hashtags, captions, tags, times, account fields) into modality inputs. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.api.metadata;
