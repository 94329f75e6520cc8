package org.nmodal.api.serving;

import java.nio.file.Path;
import java.util.List;

/**
 * The selection and, when the pool is labelled, how it compares with uncertainty sampling for the same budget.
 *
 * @param candidates the posts to label, seeds first
 * @param task the task
 * @param positive the class looked for
 * @param poolSize posts in the pool
 * @param positivesFound posts of the class among the candidates (labelled pools)
 * @param positivesByUncertainty posts of the class among as many posts taken by uncertainty alone
 * @param positivesInPool posts of the class in the pool
 * @param labelled whether the pool carried labels
 * @param file the list written
 */
public record BroadeningResult(List<Candidate> candidates, String task, String positive, int poolSize,
        int positivesFound, int positivesByUncertainty, int positivesInPool, boolean labelled, Path file) {
    /** Copies the list. */
    public BroadeningResult {
        candidates = List.copyOf(candidates);
    }

    /**
     * One selected post.
     *
     * @param id the post's id
     * @param reason "seed" or "lookalike of &lt;id&gt;"
     * @param uncertainty 1 - |2p - 1|
     * @param probability the model's probability of the class
     * @param cosine similarity to its seed (1 for seeds)
     */
    public record Candidate(String id, String reason, double uncertainty, double probability, double cosine) {}
}
