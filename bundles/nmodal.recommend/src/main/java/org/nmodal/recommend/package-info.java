/**
 * Hashtag recommendation (Tag2Vec, Singh et al. 2016): tags normalised and counted ({@link
 * org.nmodal.recommend.TagVocabulary}), embedded by skip-gram with negative sampling ({@link
 * org.nmodal.recommend.Tag2Vec}), posts mapped into the tag space by {@code θ2 tanh(θ1 x)} ({@link
 * org.nmodal.recommend.TagMapping}, several of them as a {@link org.nmodal.recommend.MappingEnsemble}) with the
 * neighbour context it reads ({@link org.nmodal.recommend.NeighbourContext}); the evaluation a pipeline run adds to
 * its report lives in {@code org.nmodal.recommend.evaluation}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package org.nmodal.recommend;
