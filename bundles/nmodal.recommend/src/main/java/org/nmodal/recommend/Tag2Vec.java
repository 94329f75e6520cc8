package org.nmodal.recommend;

import java.util.List;
import java.util.Random;

/**
 * Tag embeddings by skip-gram with negative sampling (word2vec), where each post's tag list is a sentence and the
 * window is the whole list: every ordered pair of distinct tags of a post is a positive pair, and {@code negatives}
 * tags drawn from the unigram distribution raised to 3/4 (none of the post's own tags) are negatives. Plain Java,
 * one thread, one seeded {@link Random}: the same corpus and seed give the same vectors. (A vocabulary of a few
 * thousand tags and sentences of a few tags make each update a handful of short dot products; a tensor library
 * would spend more on the calls than on the arithmetic, and the maintained word2vec implementations for the JVM
 * come with Spark or ND4J.)
 */
public final class Tag2Vec {
    private Tag2Vec() {}

    /** The settings. */
    public record Settings(int width, int epochs, int negatives, double lr, long seed) {}

    /**
     * Trains the embeddings and returns each tag's input vector scaled to length 1 (a tag that never shares a post
     * keeps its small random start, scaled likewise).
     *
     * @param sentences each training post's distinct tag indices
     * @param counts each tag's count, for the noise distribution
     */
    public static float[][] train(List<int[]> sentences, int[] counts, Settings s) {
        int v = counts.length;
        int d = s.width();
        Random rnd = new Random(s.seed());
        float[][] in = new float[v][d];
        float[][] out = new float[v][d];
        for (float[] row : in) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) ((rnd.nextDouble() - 0.5) / d);
            }
        }
        double[] cumulative = new double[v];
        double total = 0;
        for (int i = 0; i < v; i++) {
            total += Math.pow(Math.max(counts[i], 1), 0.75);
            cumulative[i] = total;
        }
        long pairsPerEpoch = 0;
        for (int[] t : sentences) {
            pairsPerEpoch += (long) t.length * (t.length - 1);
        }
        long all = Math.max(1, pairsPerEpoch * s.epochs());
        long done = 0;
        int[] order = new int[sentences.size()];
        float[] grad = new float[d];
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int si : order) {
                int[] tags = sentences.get(si);
                for (int c : tags) {
                    for (int o : tags) {
                        if (o == c) {
                            continue;
                        }
                        float lr = (float) (s.lr() * Math.max(1e-4, 1 - done / (double) all));
                        done++;
                        java.util.Arrays.fill(grad, 0);
                        step(in[c], out[o], 1, lr, grad);
                        for (int n = 0; n < s.negatives(); n++) {
                            int neg = sample(cumulative, rnd);
                            if (contains(tags, neg)) {
                                continue;
                            }
                            step(in[c], out[neg], 0, lr, grad);
                        }
                        float[] x = in[c];
                        for (int j = 0; j < d; j++) {
                            x[j] += grad[j];
                        }
                    }
                }
            }
        }
        for (float[] row : in) {
            Vectors.normalize(row);
        }
        return in;
    }

    /** One logistic update of the output vector; the input vector's share goes to {@code grad}. */
    private static void step(float[] x, float[] y, int label, float lr, float[] grad) {
        double f = 0;
        for (int j = 0; j < x.length; j++) {
            f += x[j] * y[j];
        }
        double p = f > 20 ? 1 : f < -20 ? 0 : 1 / (1 + Math.exp(-f));
        float g = (float) ((label - p) * lr);
        for (int j = 0; j < x.length; j++) {
            grad[j] += g * y[j];
            y[j] += g * x[j];
        }
    }

    private static int sample(double[] cumulative, Random rnd) {
        double u = rnd.nextDouble() * cumulative[cumulative.length - 1];
        int i = java.util.Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }
}
