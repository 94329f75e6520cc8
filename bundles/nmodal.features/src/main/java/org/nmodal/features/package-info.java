/**
 * Feature extraction: encoder calls that a misbehaving encoder cannot break, and one modality's features for many
 * posts from the feature cache where possible ({@link org.nmodal.features.Features}). Used by runs, serving and
 * broadening; {@link org.nmodal.features.StandaloneFeatures} gives it outside a framework.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.features;
