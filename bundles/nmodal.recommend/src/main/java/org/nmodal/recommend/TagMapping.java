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
 * The Tag2Vec mapping of post features into the tag space, {@code f(x) = θ2 tanh(θ1 x + b1) + b2}, fitted with
 * AdamW on the PyTorch engine, by one of two losses over a post's tags {@code y}:
 * <ul>
 * <li>{@link Loss#SOFTMAX} (default): {@code Σ_y −log softmax_y(cos(f(x), w_·) / τ)}, the cross-entropy of the
 * cosines between the mapped point and every (fixed, unit) tag vector at temperature τ. Recommendations are the tags
 * nearest (cosine) to the mapped point, and this loss trains exactly that ranking: the post's own tags nearer than
 * all others.</li>
 * <li>{@link Loss#MSE}, the paper's {@code Σ_y ‖w_y − f(x)‖²}. For one post the sum equals {@code n ‖f(x) − mean_y
 * w_y‖²} plus a constant, so each post is one row with its tags' mean as the target and its tag count as weight. With
 * many tags per topic the optimum is that mean, which lies between the tags and is rarely nearest to a true one.</li>
 * </ul>
 * With {@code tuneTags > 0} the softmax loss also moves the tag vectors (starting from Tag2Vec, at that factor of
 * the learning rate, kept unit length): the tags a post's content predicts together are then drawn nearer to each
 * other than co-occurrence alone puts them, so that one mapped point has more of a post's tags among its nearest.
 * Dropout (inverted, on the hidden layer) and weight decay regularise; the weights of the epoch with the lowest dev
 * loss are kept and training stops after {@code patience} epochs without a better one. Initial weights, batch order
 * and dropout masks come from one seeded {@link Random}: a run is repeatable.
 */
public final class TagMapping {
    private final float[][] w1;
    private final float[] b1;
    private final float[][] w2;
    private final float[] b2;
    private final float[][] tags;
    private final double devLoss;

    private TagMapping(float[][] w1, float[] b1, float[][] w2, float[] b2, float[][] tags, double devLoss) {
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.tags = tags;
        this.devLoss = devLoss;
    }

    /** The fitting objective. */
    public enum Loss {
        /** Cross-entropy over the temperature-scaled cosines to every tag vector. */
        SOFTMAX,
        /** The paper's squared distance to each tag vector. */
        MSE
    }

    /**
     * The settings.
     *
     * @param temperature τ of {@link Loss#SOFTMAX} (unused by MSE)
     * @param dropout share of hidden units dropped while training, in [0, 1)
     * @param patience epochs without a better dev loss before stopping (0: never stop early)
     * @param tuneTags learning-rate factor of the tag vectors under {@link Loss#SOFTMAX} (0: fixed)
     */
    public record Settings(int hidden, int epochs, double lr, double weightDecay, int batch, long seed, Loss loss,
            double temperature, double dropout, int patience, double tuneTags) {
        /** Fixed tag vectors. */
        public Settings(int hidden, int epochs, double lr, double weightDecay, int batch, long seed, Loss loss,
                double temperature, double dropout, int patience) {
            this(hidden, epochs, lr, weightDecay, batch, seed, loss, temperature, dropout, patience, 0);
        }

        /** The same settings with another seed. */
        public Settings withSeed(long other) {
            return new Settings(hidden, epochs, lr, weightDecay, batch, other, loss, temperature, dropout, patience,
                    tuneTags);
        }

        /** The paper's MSE, no dropout, no early stop. */
        public Settings(int hidden, int epochs, double lr, double weightDecay, int batch, long seed) {
            this(hidden, epochs, lr, weightDecay, batch, seed, Loss.MSE, 1, 0, 0, 0);
        }
    }

    /**
     * Fits the mapping by the paper's MSE onto given targets.
     *
     * @param x every post's features (rows used must not be null)
     * @param targets every post's target (the mean of its tags' vectors; null for a post without a known tag)
     * @param weights every post's number of known tags
     * @param train rows learned from (those with a target)
     * @param dev rows whose loss chooses the epoch (may be empty: then the last epoch is kept)
     */
    public static TagMapping fit(Engine engine, float[][] x, float[][] targets, int[] weights, int[] train, int[] dev,
            Settings s) {
        return fit(engine, x, targets, weights, null, null, train, dev, s);
    }

    /**
     * Fits the mapping to a tag space by the settings' loss.
     *
     * @param x every post's features (rows used must not be null)
     * @param known every post's known tags (indices into {@code space}; empty for none)
     * @param train rows learned from (those with a known tag)
     * @param dev rows whose loss chooses the epoch (may be empty: then the last epoch is kept)
     */
    public static TagMapping fit(Engine engine, float[][] x, List<int[]> known, TagSpace space, int[] train,
            int[] dev, Settings s) {
        if (s.loss() == Loss.MSE) {
            int[] counts = new int[known.size()];
            return fit(engine, x, space.targets(known, counts), counts, train, dev, s);
        }
        float[][] vectors = space.vectors();
        int[] counts = new int[known.size()];
        float[][] present = new float[known.size()][];
        for (int i = 0; i < known.size(); i++) {
            counts[i] = known.get(i).length;
            present[i] = counts[i] > 0 ? new float[0] : null;
        }
        return fit(engine, x, present, counts, known, vectors, train, dev, s);
    }

    private static TagMapping fit(Engine engine, float[][] x, float[][] targets, int[] weights, List<int[]> known,
            float[][] vectors, int[] train, int[] dev, Settings s) {
        int[] tr = Arrays.stream(train).filter(i -> targets[i] != null && x[i] != null).toArray();
        int[] dv = Arrays.stream(dev).filter(i -> targets[i] != null && x[i] != null).toArray();
        if (tr.length == 0) {
            throw new IllegalArgumentException("no training post has both features and a known tag");
        }
        int in = x[tr[0]].length;
        int out = vectors != null ? vectors[0].length : targets[tr[0]].length;
        Random rnd = new Random(s.seed());
        try (NDManager manager = engine.newBaseManager()) {
            NDArray p1 = manager.create(glorot(in, s.hidden(), rnd));
            NDArray q1 = manager.zeros(new Shape(s.hidden()));
            NDArray p2 = manager.create(glorot(s.hidden(), out, rnd));
            NDArray q2 = manager.zeros(new Shape(out));
            boolean tune = vectors != null && s.tuneTags() > 0;
            NDArray tagParam = vectors == null ? null : manager.create(vectors);
            List<NDArray> params = tune ? List.of(p1, q1, p2, q2, tagParam) : List.of(p1, q1, p2, q2);
            params.forEach(p -> p.setRequiresGradient(true));
            Objective objective = vectors == null ? new Squared(x, targets, weights)
                    : new Softmax(x, known, tagParam, s.temperature());
            // element gradients here are ~1e-2; clipping at 1 only stops a rare spike from stalling the fit
            AdamW adam = new AdamW(manager, params.subList(0, 4), p -> p == p1 || p == p2, 1);
            AdamW tagAdam = tune ? new AdamW(manager, List.of(tagParam), p -> false, 1) : null;
            List<float[][]> best = snapshot(params);
            double bestDev = Double.POSITIVE_INFINITY;
            int since = 0;
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
                        NDArray mask = s.dropout() > 0 ? step.create(mask(idx.length, s.hidden(), s.dropout(), rnd))
                                : null;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            gc.backward(objective.loss(step, params, idx, mask));
                        }
                        adam.step(s.lr(), s.weightDecay());
                        if (tune) {
                            tagAdam.step(s.lr() * s.tuneTags(), 0);
                        }
                    }
                }
                if (dv.length > 0) {
                    double d = devLoss(manager, params, objective, dv);
                    if (d < bestDev) {
                        bestDev = d;
                        best = snapshot(params);
                        since = 0;
                    } else if (s.patience() > 0 && ++since >= s.patience()) {
                        break;
                    }
                } else {
                    best = snapshot(params);
                }
            }
            float[][] tuned = null;
            if (tune) {
                tuned = best.get(4);
                for (float[] row : tuned) {
                    Vectors.normalize(row);
                }
            }
            double perTag = dv.length == 0 ? Double.NaN : bestDev / Math.max(objective.weight(dv), 1e-6);
            return new TagMapping(best.get(0), best.get(1)[0], best.get(2), best.get(3)[0], tuned, perTag);
        }
    }

    /** A batch loss: a weighted mean, {@link #weight} being the batch's total weight. */
    private interface Objective {
        NDArray loss(NDManager m, List<NDArray> p, int[] idx, NDArray mask);

        double weight(int[] idx);
    }

    /** The paper's loss, as {@code n ‖f(x) − mean‖²} per post. */
    private record Squared(float[][] x, float[][] targets, int[] weights) implements Objective {
        @Override
        public NDArray loss(NDManager m, List<NDArray> p, int[] idx, NDArray mask) {
            NDArray f = forward(p, m.create(rows(x, idx)), mask);
            NDArray t = m.create(rows(targets, idx));
            float[] w = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                w[i] = weights[idx[i]];
            }
            return f.sub(t).square().sum(new int[] {1}).mul(m.create(w)).sum().div((float) Math.max(weight(idx), 1e-6));
        }

        @Override
        public double weight(int[] idx) {
            return Arrays.stream(idx).map(i -> weights[i]).sum();
        }
    }

    /** {@code Σ_y −log softmax_y(cos(f(x), w)/τ)} over each post's tags, per tag averaged. */
    private record Softmax(float[][] x, List<int[]> known, NDArray tagVectors, double temperature)
            implements Objective {
        @Override
        public NDArray loss(NDManager m, List<NDArray> p, int[] idx, NDArray mask) {
            NDArray f = forward(p, m.create(rows(x, idx)), mask);
            NDArray u = f.div(f.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
            NDArray w = tagVectors.div(tagVectors.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
            NDArray logp = u.matMul(w.transpose()).mul((float) (1 / temperature)).logSoftmax(1);
            int tags = (int) tagVectors.getShape().get(0);
            float[] y = new float[idx.length * tags];
            for (int i = 0; i < idx.length; i++) {
                for (int t : known.get(idx[i])) {
                    y[i * tags + t] = 1;
                }
            }
            return logp.mul(m.create(y, new Shape(idx.length, tags))).sum().neg().div((float) Math.max(weight(idx), 1e-6));
        }

        @Override
        public double weight(int[] idx) {
            return Arrays.stream(idx).map(i -> known.get(i).length).sum();
        }
    }

    private static double devLoss(NDManager manager, List<NDArray> p, Objective objective, int[] rows) {
        double total = 0;
        try (NoGrad g = NoGrad.enter(); NDManager m = manager.newSubManager()) {
            for (int from = 0; from < rows.length; from += 1024) {
                int[] idx = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + 1024));
                total += objective.loss(m, p, idx, null).getFloat() * objective.weight(idx);
            }
        }
        return total;
    }

    /** An inverted-dropout mask: kept units scaled by {@code 1/(1-rate)}. */
    private static float[] mask(int rows, int width, double rate, Random rnd) {
        float[] v = new float[rows * width];
        float keep = (float) (1 / (1 - rate));
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble() < rate ? 0 : keep;
        }
        return v;
    }

    private static NDArray forward(List<NDArray> p, NDArray x, NDArray mask) {
        NDArray h = x.matMul(p.get(0)).add(p.get(1)).tanh();
        if (mask != null) {
            h = h.mul(mask.reshape(h.getShape()));
        }
        return h.matMul(p.get(2)).add(p.get(3));
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

    /**
     * The tag space the mapped points are ranked in: {@code base} itself, or its vocabulary with the tuned vectors
     * when the tag vectors were tuned.
     */
    public TagSpace space(TagSpace base) {
        return tags == null ? base : new TagSpace(base.vocabulary(), tags);
    }

    /** The kept epoch's dev loss per tag (per post under MSE); NaN when fitted without dev posts. */
    public double devLoss() {
        return devLoss;
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
