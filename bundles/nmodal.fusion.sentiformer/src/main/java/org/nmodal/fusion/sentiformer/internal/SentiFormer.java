package org.nmodal.fusion.sentiformer.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.FusionTraining;
import org.nmodal.api.fusion.SupervisedFusion;

/**
 * SentiFormer's network over one subset of streams. Each stream's vector (after input dropout) is projected to
 * {@code width}, expanded to {@code tokens} tokens (plus a learned position-and-stream embedding, layer-normalised).
 * When the subset has the query stream and the prompt or image stream, {@code depth} layers of adaptive relevance
 * learning ({@link Attention#relevance}, each followed by a layer norm) let the query tokens gather what is relevant
 * in the prompt and image tokens. A pre-norm cross-transformer ({@code layers} layers, self-attention and a GELU
 * feed-forward) then runs over a CLS token, the enriched query tokens and every other stream's tokens; a post's
 * missing streams are masked out as keys. The layer-normalised CLS output is the fused vector; a linear layer gives
 * the class scores. With {@code residual} the query stream's own linear head is added to them (where the post has
 * that stream) and the fused head starts at zero: training starts from the query stream alone, and the fusion adds
 * only what lowers the loss beyond it. Dropout masks come from a seeded Java generator, so a fit is the same in every
 * run and in parallel fits.
 */
final class SentiFormer implements SupervisedFusion {
    private static final float NEG = -1e4f;
    private final FusionTask task;
    private final SentiFormerSettings s;
    private final List<String> streams;
    private final boolean relevance;
    /** Query first (when relevance runs), then the other streams in batch order: the cross-transformer's order. */
    private final List<String> order = new ArrayList<>();
    private final Map<String, NDArray[]> input = new LinkedHashMap<>();
    private final List<NDArray[]> relevanceLayers = new ArrayList<>();
    private final List<NDArray[]> crossLayers = new ArrayList<>();
    private final NDArray cls;
    private final NDArray[] lnOut;
    private final NDArray wc;
    private final NDArray bc;
    /** The query stream's own linear head (the residual path), or null. */
    private final NDArray wr;
    private final List<NDArray> params = new ArrayList<>();
    private final Random init;
    private final Random dropout;

    SentiFormer(FusionTask task, SentiFormerSettings s, NDManager manager) {
        this.task = task;
        this.s = s;
        this.streams = task.modalities();
        this.init = new Random(task.seed());
        this.dropout = new Random(task.seed() * 31 + 7);
        this.relevance = s.depth() > 0 && streams.contains(s.query())
                && (streams.contains(s.prompt()) || streams.contains(s.image()));
        int d = s.width();
        int t = s.tokens();
        if (relevance) {
            order.add(s.query());
        }
        streams.stream().filter(m -> !order.contains(m)).forEach(order::add);
        for (String m : streams) {
            int in = task.dimensions().get(m);
            input.put(m, new NDArray[] {matrix(manager, in, d), zeros(manager, d), matrix(manager, d, t * d),
                zeros(manager, t * d), gaussian(manager, new Shape(t, d), 0.02), ones(manager, d), zeros(manager, d)});
        }
        for (int l = 0; relevance && l < s.depth(); l++) {
            relevanceLayers.add(new NDArray[] {matrix(manager, d, d), matrix(manager, d, d), matrix(manager, d, d),
                matrix(manager, d, d), matrix(manager, d, d), matrix(manager, d, d), ones(manager, d), zeros(manager, d)});
        }
        for (int l = 0; l < s.layers(); l++) {
            crossLayers.add(new NDArray[] {matrix(manager, d, d), matrix(manager, d, d), matrix(manager, d, d),
                matrix(manager, d, d), ones(manager, d), zeros(manager, d), matrix(manager, d, 2 * d),
                zeros(manager, 2 * d), matrix(manager, 2 * d, d), zeros(manager, d), ones(manager, d), zeros(manager, d)});
        }
        cls = gaussian(manager, new Shape(1, 1, d), 0.02);
        lnOut = new NDArray[] {ones(manager, d), zeros(manager, d)};
        boolean residual = s.residual() && streams.contains(s.query());
        // with the residual path the fused head starts at zero: the first steps are the query stream's linear model,
        // and the fusion only adds what lowers the loss beyond it
        wc = residual ? manager.zeros(new Shape(d, task.classes())) : matrix(manager, d, task.classes());
        bc = zeros(manager, task.classes());
        wr = residual ? manager.zeros(new Shape(task.dimensions().get(s.query()), task.classes())) : null;
        params.add(cls);
        params.add(wc);
        params.add(bc);
        params.addAll(List.of(lnOut));
        if (wr != null) {
            params.add(wr);
        }
        input.values().forEach(a -> params.addAll(List.of(a)));
        relevanceLayers.forEach(a -> params.addAll(List.of(a)));
        crossLayers.forEach(a -> params.addAll(List.of(a)));
        params.forEach(p -> p.setRequiresGradient(true));
    }

    @Override
    public int outputDimension() {
        return s.width();
    }

    @Override
    public List<NDArray> parameters() {
        return params;
    }

    @Override
    public FusionTraining training() {
        return s.training();
    }

    @Override
    public NDArray fuse(ModalityBatch batch) {
        return encode(batch, false);
    }

    @Override
    public NDArray logits(ModalityBatch batch, boolean training) {
        NDArray out = encode(batch, training).matMul(wc).add(bc);
        if (wr != null) {
            NDArray x = drop(batch.embeddings(s.query()), training, s.inputDropout());
            out = out.add(x.matMul(wr).mul(batch.presence(s.query()).reshape(-1, 1)));
        }
        return out;
    }

    /** The CLS token's output, {@code [B, width]}. */
    private NDArray encode(ModalityBatch batch, boolean training) {
        NDManager m = batch.presence().getManager();
        long b = batch.size();
        int d = s.width();
        int t = s.tokens();
        Map<String, NDArray> tokens = new LinkedHashMap<>();
        for (String x : streams) {
            NDArray[] w = input.get(x);
            NDArray h = drop(drop(batch.embeddings(x), training, s.inputDropout()).matMul(w[0]).add(w[1]), training);
            h = h.matMul(w[2]).add(w[3]).reshape(b, t, d).add(w[4]);
            tokens.put(x, layerNorm(h, w[5], w[6]));
        }
        if (relevance) {
            NDArray p = tokens.get(s.prompt());
            NDArray v = tokens.get(s.image());
            NDArray pp = p == null ? null : batch.presence(s.prompt());
            NDArray vp = v == null ? null : batch.presence(s.image());
            NDArray h = tokens.get(s.query());
            for (NDArray[] w : relevanceLayers) {
                h = layerNorm(Attention.relevance(h, p, pp, v, vp, w, s.heads()), w[6], w[7]);
            }
            tokens.put(s.query(), h);
        }
        // an operation's result belongs to its first operand's manager: the CLS copy must belong to the batch's, or
        // every array after it (the cross-transformer's whole graph) would stay until the fusion is closed
        NDArray first = cls.broadcast(b, 1, d);
        first.attach(m);
        NDList seq = new NDList(first);
        float[] presence = batch.presence().toFloatArray();
        int k = batch.modalities().size();
        float[] bias = new float[(int) b * (1 + order.size() * t)];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < order.size(); j++) {
                float here = presence[i * k + batch.modalities().indexOf(order.get(j))];
                for (int u = 0; u < t; u++) {
                    bias[i * (1 + order.size() * t) + 1 + j * t + u] = here > 0 ? 0 : NEG;
                }
            }
        }
        order.forEach(x -> seq.add(tokens.get(x)));
        NDArray keyBias = m.create(bias, new Shape(b, 1, 1, 1 + (long) order.size() * t));
        NDArray h = NDArrays.concat(seq, 1);
        // pre-norm layers: the residual stream is never rescaled, which trains more steadily on few posts
        for (NDArray[] w : crossLayers) {
            NDArray n = layerNorm(h, w[4], w[5]);
            NDArray a = Attention.attend(n.matMul(w[0]), n.matMul(w[1]), n.matMul(w[2]), s.heads(), keyBias).matMul(w[3]);
            h = h.add(drop(a, training));
            n = layerNorm(h, w[10], w[11]);
            NDArray f = Activation.gelu(n.matMul(w[6]).add(w[7])).matMul(w[8]).add(w[9]);
            h = h.add(drop(f, training));
        }
        return layerNorm(h.get(":, 0, :"), lnOut[0], lnOut[1]);
    }

    /** Inverted dropout with a mask from the seeded generator; the identity when not training. */
    private NDArray drop(NDArray x, boolean training) {
        return drop(x, training, s.dropout());
    }

    private NDArray drop(NDArray x, boolean training, float rate) {
        if (!training || rate == 0) {
            return x;
        }
        float keep = 1 - rate;
        float[] mask = new float[(int) x.size()];
        synchronized (dropout) {
            for (int i = 0; i < mask.length; i++) {
                mask[i] = dropout.nextFloat() < keep ? 1 / keep : 0;
            }
        }
        return x.mul(x.getManager().create(mask, x.getShape()));
    }

    /** Layer norm over the last axis, {@code (x - mean) / sqrt(var + 1e-5) * gamma + beta}. */
    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        NDArray c = x.sub(x.mean(new int[] {-1}, true));
        NDArray var = c.square().mean(new int[] {-1}, true);
        return c.div(var.add(x.getManager().create(1e-5f)).sqrt()).mul(gamma).add(beta);
    }

    private NDArray matrix(NDManager manager, int in, int out) {
        return gaussian(manager, new Shape(in, out), Math.sqrt(1.0 / in));
    }

    private NDArray gaussian(NDManager manager, Shape shape, double sd) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (init.nextGaussian() * sd);
        }
        return manager.create(v, shape);
    }

    private static NDArray zeros(NDManager manager, int n) {
        return manager.zeros(new Shape(n));
    }

    private static NDArray ones(NDManager manager, int n) {
        return manager.ones(new Shape(n));
    }

    /** What it was built for (tests). */
    FusionTask task() {
        return task;
    }
}
