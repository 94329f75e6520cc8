package org.nmodal.api.serving;

/**
 * A provenance manifest.
 *
 * @param source the file it was read from
 * @param json the manifest (components with bundles, versions, licences and model origins; pipeline hash; data
 *     fingerprint; seed; metrics; times), pretty-printed JSON
 */
public record Provenance(String source, String json) {}
