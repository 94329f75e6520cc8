package org.nmodal.fusion.late;

import java.util.ArrayList;
import java.util.List;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;

/**
 * Late fusion: a classifier fitted on every modality's features alone, and a post's prediction the mean of the class
 * probabilities of the modalities it has. Each modality gets one equal vote and its own regularisation, so a stream
 * whose features separate the training posts far better than unseen ones (features made by a network trained on those
 * very posts) cannot take over the way it does in one model over the concatenated features.
 */
public final class LateFusion {
    private LateFusion() {}

    /**
     * One modality's classifier scores.
     *
     * @param probabilities the class probabilities of each post to score, {@code null} where it lacks the modality or
     *        where no fitting post has it
     * @param seconds how long fitting and scoring took
     */
    public record Fit(double[][] probabilities, double seconds) {}

    /**
     * Fits a classifier on one modality and scores the posts to predict.
     *
     * @param x the modality's vectors of every post ({@code null} where a post lacks it)
     * @param fitRows the posts to fit on (those lacking the modality are passed over)
     * @param y the class of each fitting post
     * @param predictRows the posts to score
     */
    public static Fit fit(DownstreamClassifier classifier, float[][] x, int[] fitRows, int[] y, int classes,
            int[] predictRows, long seed) {
        long t0 = System.nanoTime();
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < fitRows.length; i++) {
            if (x[fitRows[i]] != null) {
                rows.add(x[fitRows[i]]);
                labels.add(y[i]);
            }
        }
        double[][] out = new double[predictRows.length][];
        if (rows.isEmpty()) {
            return new Fit(out, (System.nanoTime() - t0) / 1e9);
        }
        TrainedClassifier model = classifier.train(rows.toArray(float[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), classes, seed);
        for (int i = 0; i < out.length; i++) {
            float[] row = x[predictRows[i]];
            out[i] = row == null ? null : model.probabilities(row);
        }
        return new Fit(out, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The fused prediction of every post: the most probable class of the mean of its modalities' probabilities, or
     * the most frequent class of the fitting posts for a post that has none of them.
     *
     * @param fits each modality's scores from {@link #fit}, rows aligned
     * @param y the classes of the fitting posts
     */
    public static int[] predict(List<Fit> fits, int[] y, int classes) {
        List<double[][]> perModality = fits.stream().map(Fit::probabilities).toList();
        int[] counts = new int[classes];
        for (int c : y) {
            counts[c]++;
        }
        int fallback = argmax(java.util.Arrays.stream(counts).asDoubleStream().toArray());
        int n = perModality.isEmpty() ? 0 : perModality.get(0).length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double[] sum = new double[classes];
            boolean any = false;
            for (double[][] p : perModality) {
                if (p[i] != null) {
                    any = true;
                    for (int k = 0; k < classes; k++) {
                        sum[k] += p[i][k];
                    }
                }
            }
            out[i] = any ? argmax(sum) : fallback;
        }
        return out;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            best = v[k] > v[best] ? k : best;
        }
        return best;
    }
}
