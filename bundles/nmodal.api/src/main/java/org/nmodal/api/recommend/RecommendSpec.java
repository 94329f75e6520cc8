package org.nmodal.api.recommend;

import java.util.List;

/**
 * The {@code recommend} block of a pipeline file: which metadata list holds the tags, how they are normalised and
 * counted, and the settings of Tag2Vec (skip-gram with negative sampling over each post's tag list), of the mapping
 * regression from post features into the tag space and of the nearest-posts baseline.
 *
 * @param field the metadata list: {@code hashtags} or {@code tags}
 * @param k the cut-offs reported (P@K, R@K, hit@K), ascending
 * @param minCount tags seen fewer times in the training posts are dropped
 * @param stem whether tags are stemmed (Snowball English) after lower-casing
 * @param width width of the tag embeddings
 * @param epochs skip-gram passes over the training posts' tag lists
 * @param negatives negative samples per positive pair
 * @param hidden hidden width of the mapping {@code θ2 tanh(θ1 x)}
 * @param mappingEpochs passes of the mapping regression
 * @param mappingLr AdamW learning rate of the mapping
 * @param neighbours training posts the nearest-posts baseline takes its tags from
 * @param features the feature kinds evaluated: {@code raw} and/or {@code aligned}
 * @param loss the mapping's loss: {@code softmax} (cross-entropy over the temperature-scaled cosines between the
 *     mapped point and every tag vector) or {@code mse} (the paper's squared distance to each of the post's tags)
 * @param temperature the softmax loss's temperature
 * @param dropout share of the mapping's hidden units dropped while training
 * @param weightDecay AdamW weight decay of the mapping
 * @param patience mapping epochs without a better dev loss before it stops (0: run all epochs)
 * @param context training posts whose tags, weighted by their cosine similarity to the post, form the neighbour
 *     context the mapping reads beside the post's features (0: none, the paper's input)
 * @param contextWeight the scale of that context (a tag histogram summing to this weight)
 * @param contextPower each neighbour adds its similarity raised to this power (above 1: near-duplicates count more)
 * @param tuneTags learning-rate factor of the tag vectors while the softmax mapping is fitted, starting from
 *     Tag2Vec (0: the Tag2Vec vectors stay fixed, as in the paper)
 * @param ensemble mappings fitted from consecutive seeds whose tag scores are averaged (1: one mapping, the paper's)
 * @param serve what a served pipeline maps: {@code fused} (the version's fused embedding, one mapping) or {@code late}
 *     (one mapping per modality from its own projected embedding, the tag scores averaged over the modalities a post
 *     has)
 * @since 1.1 ({@code context}, {@code contextWeight}, {@code contextPower} and {@code tuneTags} since 1.2,
 *     {@code ensemble} and {@code serve} since 1.3)
 */
public record RecommendSpec(String field, List<Integer> k, int minCount, boolean stem, int width, int epochs,
        int negatives, int hidden, int mappingEpochs, double mappingLr, int neighbours, List<String> features,
        String loss, double temperature, double dropout, double weightDecay, int patience, int context,
        double contextWeight, double contextPower, double tuneTags, int ensemble, String serve) {
    /** What a served pipeline maps by default: the version's fused embedding. */
    public static final String SERVE_FUSED = "fused";
    /** Late fusion when served: one mapping per modality, the scores averaged. */
    public static final String SERVE_LATE = "late";

    /** Copies the lists. */
    public RecommendSpec {
        k = List.copyOf(k);
        features = List.copyOf(features);
        if (ensemble < 1) {
            throw new IllegalArgumentException("ensemble must be at least 1, got " + ensemble);
        }
        if (!SERVE_FUSED.equals(serve) && !SERVE_LATE.equals(serve)) {
            throw new IllegalArgumentException("serve must be fused or late, got " + serve);
        }
    }

    /** The 1.2 settings: one mapping. */
    public RecommendSpec(String field, List<Integer> k, int minCount, boolean stem, int width, int epochs,
            int negatives, int hidden, int mappingEpochs, double mappingLr, int neighbours, List<String> features,
            String loss, double temperature, double dropout, double weightDecay, int patience, int context,
            double contextWeight, double contextPower, double tuneTags) {
        this(field, k, minCount, stem, width, epochs, negatives, hidden, mappingEpochs, mappingLr, neighbours,
                features, loss, temperature, dropout, weightDecay, patience, context, contextWeight, contextPower,
                tuneTags, 1, SERVE_FUSED);
    }

    /** The 1.1 settings: no neighbour context, fixed Tag2Vec vectors. */
    public RecommendSpec(String field, List<Integer> k, int minCount, boolean stem, int width, int epochs,
            int negatives, int hidden, int mappingEpochs, double mappingLr, int neighbours, List<String> features,
            String loss, double temperature, double dropout, double weightDecay, int patience) {
        this(field, k, minCount, stem, width, epochs, negatives, hidden, mappingEpochs, mappingLr, neighbours,
                features, loss, temperature, dropout, weightDecay, patience, 0, 0, 1, 0, 1, SERVE_FUSED);
    }

    /** The 1.0 settings: the paper's MSE loss, no dropout, weight decay 1e-4, no early stop. */
    public RecommendSpec(String field, List<Integer> k, int minCount, boolean stem, int width, int epochs,
            int negatives, int hidden, int mappingEpochs, double mappingLr, int neighbours, List<String> features) {
        this(field, k, minCount, stem, width, epochs, negatives, hidden, mappingEpochs, mappingLr, neighbours,
                features, "mse", 1, 0, 1e-4, 0, 0, 0, 1, 0, 1, SERVE_FUSED);
    }

    /** The largest cut-off. */
    public int maxK() {
        return k.stream().mapToInt(Integer::intValue).max().orElse(10);
    }
}
