/**
 * Hashtag recommendation evaluated in a pipeline run ({@link org.nmodal.recommend.evaluation.TagEvaluation}): the
 * Tag2Vec mappings of every modality subset and feature kind, their late fusion, the popularity and nearest-posts
 * baselines, P@K/R@K/hit@K ({@link org.nmodal.recommend.evaluation.Ranking}) and the report section ({@link
 * org.nmodal.recommend.evaluation.RecommendReport}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.recommend.evaluation;
