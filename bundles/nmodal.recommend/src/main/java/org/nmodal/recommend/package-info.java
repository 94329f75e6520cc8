/**
 * Hashtag recommendation (Tag2Vec, Singh et al. 2016): tags normalised and counted ({@link
 * org.nmodal.recommend.TagVocabulary}), embedded by skip-gram with negative sampling ({@link
 * org.nmodal.recommend.Tag2Vec}), posts mapped into the tag space by {@code θ2 tanh(θ1 x)} ({@link
 * org.nmodal.recommend.TagMapping}), the baselines and metrics, and the evaluation a pipeline run adds to its
 * report ({@link org.nmodal.recommend.TagEvaluation}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.nmodal.recommend;
