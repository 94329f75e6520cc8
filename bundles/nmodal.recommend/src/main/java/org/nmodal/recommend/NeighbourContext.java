package org.nmodal.recommend;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The neighbour context the mapping reads beside a post's features: the tags of the {@code k} pool posts most
 * cosine-similar to it, each adding its (positive) similarity, raised to {@code power}, to each of its tags, as a histogram over the vocabulary
 * scaled to sum to {@code weight}. A post in the pool never sees itself (leave-one-out), so a training post's own tags
 * reach its input only through other posts, as a new post's do; near-duplicates (retweets) do, which is what lets
 * the mapping place a post where its near-duplicates' tags are.
 */
public final class NeighbourContext {
    private final float[][] units;
    private final int[] pool;
    private final List<int[]> known;
    private final int tags;
    private final int k;
    private final float weight;
    private final double power;

    /**
     * A context over a pool of posts.
     *
     * @param x every post's features (pool rows must not be null)
     * @param known every post's known tags
     * @param pool the rows whose tags form contexts
     * @param tags the vocabulary's size
     */
    public NeighbourContext(float[][] x, List<int[]> known, int[] pool, int tags, int k, double weight) {
        this(x, known, pool, tags, k, weight, 1);
    }

    /** A context whose neighbours each add their similarity raised to {@code power}. */
    public NeighbourContext(float[][] x, List<int[]> known, int[] pool, int tags, int k, double weight,
            double power) {
        this.power = power;
        this.pool = pool.clone();
        this.units = Arrays.stream(this.pool).mapToObj(i -> Vectors.unit(x[i])).toArray(float[][]::new);
        this.known = known;
        this.tags = tags;
        this.k = k;
        this.weight = (float) weight;
    }

    /** The context over the rows of {@code from} that have features and a known tag, with a spec's settings. */
    public static NeighbourContext over(float[][] x, List<int[]> known, int[] from, int tags,
            org.nmodal.api.recommend.RecommendSpec spec) {
        int[] pool = Arrays.stream(from).filter(i -> x[i] != null && known.get(i).length > 0).toArray();
        return new NeighbourContext(x, known, pool, tags, spec.context(), spec.contextWeight(), spec.contextPower());
    }

    /** The context of a post ({@code self}: its row, left out of the pool; −1 for a post outside it). */
    public float[] of(float[] x, int self) {
        float[] u = Vectors.unit(x);
        double[] sim = new double[pool.length];
        for (int j = 0; j < pool.length; j++) {
            sim[j] = pool[j] == self ? Double.NEGATIVE_INFINITY : Vectors.dot(u, units[j]);
        }
        float[] h = new float[tags];
        double total = 0;
        for (int j : Vectors.top(sim, k)) {
            if (sim[j] > 0) {
                double w = power == 1 ? sim[j] : Math.pow(sim[j], power);
                for (int t : known.get(pool[j])) {
                    h[t] += (float) w;
                    total += w;
                }
            }
        }
        if (total > 0) {
            for (int t = 0; t < tags; t++) {
                h[t] *= (float) (weight / total);
            }
        }
        return h;
    }

    /** The rows' features followed by their contexts (other rows null): the mapping's input. */
    public float[][] inputs(float[][] x, int[] rows) {
        float[][] out = new float[x.length][];
        IntStream.range(0, rows.length).parallel().forEach(q -> {
            int i = rows[q];
            if (x[i] != null) {
                out[i] = concat(x[i], of(x[i], i));
            }
        });
        return out;
    }

    /** One post's input (a post outside the pool). */
    public float[] input(float[] x) {
        return concat(x, of(x, -1));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
