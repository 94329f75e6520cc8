package org.nmodal.api.serving;

import java.util.List;

/**
 * Scores of many posts for one task.
 *
 * @param version the version that scored them
 * @param classes the task's classes, in the order of the probabilities
 * @param fused each post's fused embedding
 * @param probabilities each post's class probabilities
 */
public record Scores(String version, List<String> classes, float[][] fused, double[][] probabilities) {}
