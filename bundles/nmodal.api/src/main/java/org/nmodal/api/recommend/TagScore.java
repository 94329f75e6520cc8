package org.nmodal.api.recommend;

/**
 * A recommended tag and its score (cosine similarity in the tag space).
 *
 * @param tag the tag as most often written in the training posts
 * @param score higher is better
 */
public record TagScore(String tag, double score) {}
