package org.nmodal.api.serving;

import java.nio.file.Path;

/**
 * What to broaden.
 *
 * @param pool folder with posts.jsonl whose test and unlabelled posts form the pool; null for the pipeline's data
 * @param task the task; empty for the model's first
 * @param positive the class to find more of; empty for the one the model predicts least often in the pool
 * @param seeds number of uncertain seed posts (at least 1)
 * @param k lookalikes per seed (at least 0)
 * @param threshold lowest cosine similarity of a lookalike, in [-1, 1]
 * @param out the JSONL file to write; null for the work folder's default
 */
public record BroadeningRequest(Path pool, String task, String positive, int seeds, int k, double threshold,
        Path out) {}
