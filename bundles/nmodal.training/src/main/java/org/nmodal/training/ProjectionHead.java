package org.nmodal.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Random;
import org.nmodal.djl.NoGrad;
import org.nmodal.djl.Tensors;

/**
 * The trimodal-CLIP projection head: {@code p = W1 x + b1; h = LayerNorm(p + Dropout(W2 GELU(p) + b2))}. Weights
 * are drawn from a seeded Java random source, so a run repeats exactly whatever the engine.
 */
public final class ProjectionHead {
    final NDArray w1;
    final NDArray b1;
    final NDArray w2;
    final NDArray b2;
    final NDArray gamma;
    final NDArray beta;
    private final float dropout;

    ProjectionHead(NDManager manager, int in, int out, float dropout, long seed) {
        Random r = new Random(seed);
        w1 = param(manager, gaussian(r, in * out, Math.sqrt(1.0 / in)), new Shape(in, out));
        b1 = param(manager, new float[out], new Shape(out));
        w2 = param(manager, gaussian(r, out * out, Math.sqrt(1.0 / out)), new Shape(out, out));
        b2 = param(manager, new float[out], new Shape(out));
        float[] ones = new float[out];
        java.util.Arrays.fill(ones, 1f);
        gamma = param(manager, ones, new Shape(out));
        beta = param(manager, new float[out], new Shape(out));
        this.dropout = dropout;
    }

    private ProjectionHead(NDManager manager, float[][] w, int in, int out) {
        w1 = manager.create(w[0], new Shape(in, out));
        b1 = manager.create(w[1], new Shape(out));
        w2 = manager.create(w[2], new Shape(out, out));
        b2 = manager.create(w[3], new Shape(out));
        gamma = manager.create(w[4], new Shape(out));
        beta = manager.create(w[5], new Shape(out));
        dropout = 0;
    }

    /** A trained head for inference only (no gradients, no dropout), from its weights in parameter order. */
    public static ProjectionHead frozen(NDManager manager, float[][] weights) {
        int out = weights[1].length;
        return new ProjectionHead(manager, weights, weights[0].length / out, out);
    }

    /** Its arrays: W1, b1, W2, b2, gamma, beta. */
    public List<NDArray> parameters() {
        return List.of(w1, b1, w2, b2, gamma, beta);
    }

    /** Sets the weights, in {@link #parameters()} order (a trained head being reloaded or frozen). */
    public void load(float[][] weights) {
        List<NDArray> p = parameters();
        if (weights.length != p.size()) {
            throw new IllegalArgumentException("a projection head has " + p.size() + " weight arrays, got "
                    + weights.length);
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i].length != p.get(i).size()) {
                throw new IllegalArgumentException("projection head weight " + i + " has " + p.get(i).size()
                        + " values, got " + weights[i].length);
            }
        }
        // an in-place write to a leaf that records gradients is refused by autograd
        try (NoGrad g = NoGrad.enter()) {
            for (int i = 0; i < weights.length; i++) {
                p.get(i).set(weights[i]);
            }
        }
    }

    /** Arrays that get weight decay (the matrices). */
    boolean decays(NDArray p) {
        return p == w1 || p == w2;
    }

    /** Projects a batch {@code [n, in]} to {@code [n, out]}; dropout only when training. */
    public NDArray forward(NDArray x, boolean training) {
        NDArray p = x.matMul(w1).add(b1);
        NDArray g = Activation.gelu(p).matMul(w2).add(b2);
        if (training && dropout > 0) {
            NDArray keep = x.getManager().randomUniform(0, 1, g.getShape()).gte(dropout).toType(g.getDataType(), false);
            g = Tensors.div(g.mul(keep), 1 - dropout);
        }
        NDArray h = p.add(g);
        NDArray mean = h.mean(new int[] {1}, true);
        NDArray centred = h.sub(mean);
        NDArray var = centred.square().mean(new int[] {1}, true);
        return centred.div(var.add(1e-5f).sqrt()).mul(gamma).add(beta);
    }

    private static float[] gaussian(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }

    private static NDArray param(NDManager manager, float[] values, Shape shape) {
        NDArray a = manager.create(values, shape);
        a.setRequiresGradient(true);
        return a;
    }
}
