/**
 * Training on per-modality vectors: projection heads trained with an N-modal loss, the one batch builder, feature
 * standardisation, the train/dev hold-out, task classes, trainable fusions fitted with a linear probe, and supervised fusions trained end to end with the labels. Shared by
 * the assembly (runs), the evaluation (ablation) and serving (model versions).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.nmodal.training;
