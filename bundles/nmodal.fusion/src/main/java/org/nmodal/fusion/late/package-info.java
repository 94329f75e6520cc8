/**
 * Late fusion: one classifier per modality, their class probabilities averaged over the modalities a post has.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.fusion.late;
