package org.nmodal.recommend;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nmodal.djl.NoGrad;
import org.nmodal.training.AdamW;

/**
 * The Tag2Vec mapping of post features into the tag space, {@code f(x) = θ2 tanh(θ1 x + b1) + b2}, fitted by
 * {@code min Σ_posts Σ_{y ∈ tags(post)} ‖w_y − f(x)‖²} with AdamW on the PyTorch engine. For one post the sum over
 * its tags equals {@code n ‖f(x) − mean_y w_y‖²} plus a constant, so each post is one row with its tags' mean as the
 * target and its tag count as the weight. The weights of the epoch with the lowest loss on the dev rows are kept.
 * Initial weights and batch order come from one seeded {@link Random}: a run is repeatable.
 */
public final class TagMapping {
    private final float[][] w1;
    private final float[] b1;
    private final float[][] w2;
    private final float[] b2;

    private TagMapping(float[][] w1, float[] b1, float[][] w2, float[] b2) {
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /** The settings. */
    public record Settings(int hidden, int epochs, double lr, double weightDecay, int batch, long seed) {}

    /**
     * Fits the mapping.
     *
     * @param x every post's features (rows used must not be null)
     * @param targets every post's target (the mean of its tags' vectors; null for a post without a known tag)
     * @param weights every post's number of known tags
     * @param train rows learned from (those with a target)
     * @param dev rows whose loss chooses the epoch (may be empty: then the last epoch is kept)
     */
    public static TagMapping fit(Engine engine, float[][] x, float[][] targets, int[] weights, int[] train, int[] dev,
            Settings s) {
        int[] tr = Arrays.stream(train).filter(i -> targets[i] != null && x[i] != null).toArray();
        int[] dv = Arrays.stream(dev).filter(i -> targets[i] != null && x[i] != null).toArray();
        if (tr.length == 0) {
            throw new IllegalArgumentException("no training post has both features and a known tag");
        }
        int in = x[tr[0]].length;
        int out = targets[tr[0]].length;
        Random rnd = new Random(s.seed());
        try (NDManager manager = engine.newBaseManager()) {
            NDArray p1 = manager.create(glorot(in, s.hidden(), rnd));
            NDArray q1 = manager.zeros(new Shape(s.hidden()));
            NDArray p2 = manager.create(glorot(s.hidden(), out, rnd));
            NDArray q2 = manager.zeros(new Shape(out));
            List<NDArray> params = List.of(p1, q1, p2, q2);
            params.forEach(p -> p.setRequiresGradient(true));
            AdamW adam = new AdamW(manager, params, p -> p == p1 || p == p2);
            List<float[][]> best = snapshot(params);
            double bestDev = Double.POSITIVE_INFINITY;
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                int[] rows = tr.clone();
                for (int i = rows.length - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = rows[i];
                    rows[i] = rows[j];
                    rows[j] = t;
                }
                for (int from = 0; from < rows.length; from += s.batch()) {
                    int[] idx = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + s.batch()));
                    try (NDManager step = manager.newSubManager()) {
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            gc.backward(loss(step, params, x, targets, weights, idx));
                        }
                        adam.step(s.lr(), s.weightDecay());
                    }
                }
                if (dv.length > 0) {
                    double d = devLoss(manager, params, x, targets, weights, dv);
                    if (d < bestDev) {
                        bestDev = d;
                        best = snapshot(params);
                    }
                } else {
                    best = snapshot(params);
                }
            }
            return new TagMapping(best.get(0), best.get(1)[0], best.get(2), best.get(3)[0]);
        }
    }

    private static NDArray loss(NDManager m, List<NDArray> p, float[][] x, float[][] targets, int[] weights,
            int[] idx) {
        NDArray f = forward(p, m.create(rows(x, idx)));
        NDArray t = m.create(rows(targets, idx));
        float[] w = new float[idx.length];
        float sum = 0;
        for (int i = 0; i < idx.length; i++) {
            w[i] = weights[idx[i]];
            sum += w[i];
        }
        return f.sub(t).square().sum(new int[] {1}).mul(m.create(w)).sum().div(Math.max(sum, 1e-6f));
    }

    private static double devLoss(NDManager manager, List<NDArray> p, float[][] x, float[][] targets, int[] weights,
            int[] rows) {
        double total = 0;
        try (NoGrad g = NoGrad.enter(); NDManager m = manager.newSubManager()) {
            for (int from = 0; from < rows.length; from += 1024) {
                int[] idx = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + 1024));
                double w = Arrays.stream(idx).map(i -> weights[i]).sum();
                total += loss(m, p, x, targets, weights, idx).getFloat() * w;
            }
        }
        return total;
    }

    private static NDArray forward(List<NDArray> p, NDArray x) {
        return x.matMul(p.get(0)).add(p.get(1)).tanh().matMul(p.get(2)).add(p.get(3));
    }

    /** Maps posts into the tag space (a null row stays null). */
    public float[][] map(float[][] x) {
        float[][] out = new float[x.length][];
        float[] h = new float[b1.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                continue;
            }
            System.arraycopy(b1, 0, h, 0, h.length);
            for (int a = 0; a < x[i].length; a++) {
                float v = x[i][a];
                if (v != 0) {
                    float[] row = w1[a];
                    for (int j = 0; j < h.length; j++) {
                        h[j] += v * row[j];
                    }
                }
            }
            float[] y = b2.clone();
            for (int j = 0; j < h.length; j++) {
                float t = (float) Math.tanh(h[j]);
                float[] row = w2[j];
                for (int c = 0; c < y.length; c++) {
                    y[c] += t * row[c];
                }
            }
            out[i] = y;
        }
        return out;
    }

    /** The input width the mapping expects. */
    public int inputWidth() {
        return w1.length;
    }

    private static float[][] glorot(int fanIn, int fanOut, Random rnd) {
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        float[][] w = new float[fanIn][fanOut];
        for (float[] row : w) {
            for (int j = 0; j < fanOut; j++) {
                row[j] = (float) ((rnd.nextDouble() * 2 - 1) * a);
            }
        }
        return w;
    }

    private static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    private static List<float[][]> snapshot(List<NDArray> params) {
        List<float[][]> out = new ArrayList<>();
        for (NDArray p : params) {
            float[] v = p.toFloatArray();
            if (p.getShape().dimension() == 1) {
                out.add(new float[][] {v});
            } else {
                int r = (int) p.getShape().get(0);
                int c = (int) p.getShape().get(1);
                float[][] m = new float[r][c];
                for (int i = 0; i < r; i++) {
                    System.arraycopy(v, i * c, m[i], 0, c);
                }
                out.add(m);
            }
        }
        return out;
    }
}
