/**
 * Evaluation of trained heads: the modality-subset ablation over raw and aligned features with every classifier,
 * cross-modal retrieval, the one classifier fit-and-score used by the ablation and by serving, and the run report
 * (report.json, report.html, the console table).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package org.nmodal.evaluation;
