package org.nmodal.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nmodal.djl.Tensors;
import org.nmodal.loss.Losses;
import org.nmodal.training.HeadTrainer;

/**
 * Projection-head training steps per second through nmodal's trainer (three heads, InfoNCE, AdamW, batch 256,
 * 256-d, four epochs) and through a hand-written DJL loop on the same data.
 *
 * <p><b>What "the same work" is.</b> Both sides produce the same result from nothing: trained heads chosen by their
 * dev loss, and every post's aligned embedding. So the hand-written loop does what a user would write to get that
 * result with DJL, and both clocks run from the start (heads created) to the embeddings and weights in hand:
 * <ul>
 *   <li>the inputs put on the engine once as one array per modality, each batch gathered from it by row index;
 *   <li>each epoch the training rows shuffled, batches of 256, the same head arithmetic ({@code W1 x + b1}, GELU
 *       residual, layer norm) and the same symmetric InfoNCE over the three pairs (learnable, clipped temperature,
 *       mean over posts and {@code 2 x pairs}), the loss read once per step for the epoch's training loss;
 *   <li>AdamW with decoupled weight decay on the two matrices of each head only (DJL's {@code AdamW}, one instance
 *       with decay and one without; its update also clears the gradient);
 *   <li>the dev loss once per epoch, with the learning rate halved after two epochs without a better one and a copy
 *       of the weights kept when it improves (early stopping never triggers here: patience is the epoch count);
 *   <li>at the end every post embedded with the best weights (chunks of 512) and the weights read out.
 * </ul>
 * The trainer does all of that and, beyond it, checks every step's gradients for NaN/infinity, handles missing
 * modalities (presence mask in the loss) and draws its initial weights from a seeded Java random source; those are
 * what nmodal adds and they stay in its time. It writes no checkpoint here (none is asked for), and neither side uses
 * dropout. Rounds alternate which side goes first, after one untimed warm-up of each; the printed ratio is the median
 * of the per-round ratios (each round's two runs are close in time, so load from other processes mostly cancels).
 * Beside steps per wall-clock second it prints steps per second of the calling thread's CPU time: libtorch runs with
 * one intra-op thread and autograd runs CPU backward passes on the caller, so that is where the work of both sides
 * is done, and on a machine shared with other builds it is the steadier number. (Process CPU time would not do: the
 * JVM's own threads, GC and compiler, take different shares on the two sides, and on two cores that work mostly
 * runs beside the loop rather than in its way.)
 *
 * <p>Where the difference goes (2 cores, thread CPU time, about 0.9): nearly all of it is nmodal's loss, not the
 * trainer. With the hand loop calling nmodal's InfoNCE ({@code PairwiseLoss}) instead of its own few lines the ratio
 * was 0.98: that loss masks absent posts (presence products, penalties, one host read of the pair count per pair),
 * normalises each embedding once per pair it is in (six times instead of three) and builds the identity and the
 * clipped scale per pair. The gradient finiteness check costs about 1%.
 */
public final class HeadTrainingBench {
    private static final int N = 2560;
    private static final int BATCH = 256;
    private static final int DIM = 256;
    private static final int EPOCHS = 4;
    private static final int ROUNDS = 5;
    private static final double TAU = 0.07;
    private static final float LR = 1e-3f;
    private static final float WD = 1e-3f;

    private HeadTrainingBench() {}

    /** Runs the comparison and prints it. */
    public static void run() throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        Map<String, float[][]> x = new LinkedHashMap<>();
        Random r = new Random(3);
        int[] dims = {384, 67, 140};
        String[] names = {"text", "image", "video"};
        for (int k = 0; k < 3; k++) {
            float[][] v = new float[N][dims[k]];
            for (float[] row : v) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
            x.put(names[k], v);
        }
        int[] train = IntStream.range(0, N).toArray();
        int[] dev = IntStream.range(0, BATCH).toArray();
        List<String> ms = List.of(names);
        int stepsPerEpoch = (N + BATCH - 1) / BATCH;
        viaNmodal(engine, ms, x, train, dev, stepsPerEpoch); // warm-up of both, untimed
        raw(engine, x, names, train, dev, stepsPerEpoch);
        double[][] viaNmodal = new double[2][ROUNDS]; // [wall, cpu][round]
        double[][] viaRaw = new double[2][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int side = 0; side < 2; side++) {
                long w0 = System.nanoTime();
                long c0 = cpuNanos();
                int steps = (side + round) % 2 == 0 ? viaNmodal(engine, ms, x, train, dev, stepsPerEpoch)
                        : raw(engine, x, names, train, dev, stepsPerEpoch);
                double[][] into = (side + round) % 2 == 0 ? viaNmodal : viaRaw;
                into[0][round] = steps / ((System.nanoTime() - w0) / 1e9);
                into[1][round] = steps / ((cpuNanos() - c0) / 1e9);
            }
        }
        System.out.println();
        System.out.println("projection-head training, 3 heads, InfoNCE, batch " + BATCH + ", " + DIM + "-d, " + EPOCHS
                + " epochs with dev loss and final embedding on both sides, steps/s, median of " + ROUNDS + " rounds");
        String[] clock = {"wall clock", "thread CPU time"};
        for (int c = 0; c < 2; c++) {
            double[] ratio = new double[ROUNDS];
            StringBuilder each = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++) {
                ratio[round] = viaNmodal[c][round] / viaRaw[c][round];
                each.append(' ').append(BenchSupport.f(ratio[round]));
            }
            System.out.println("  " + clock[c] + ": nmodal trainer " + BenchSupport.f(BenchSupport.median(viaNmodal[c]))
                    + "   hand-written DJL loop " + BenchSupport.f(BenchSupport.median(viaRaw[c]))
                    + "   ratio nmodal/raw " + BenchSupport.f(BenchSupport.median(ratio)) + " (rounds:" + each + ")");
        }
    }

    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Trains through nmodal's trainer; the number of steps taken. */
    private static int viaNmodal(Engine engine, List<String> ms, Map<String, float[][]> x, int[] train, int[] dev,
            int stepsPerEpoch) throws Exception {
        HeadTrainer trainer = new HeadTrainer(engine, ms, x, DIM, 0.0);
        HeadTrainer.Result result = trainer.train(train, dev, Losses.infoNce(TAU)::apply, EPOCHS, BATCH,
                LR, WD, EPOCHS, 7, null, null);
        return stepsPerEpoch * result.history().size();
    }

    /** The same job written out with DJL (see the class comment for what it includes); the number of steps. */
    private static int raw(Engine engine, Map<String, float[][]> x, String[] names, int[] train, int[] dev,
            int stepsPerEpoch) {
        try (NDManager manager = engine.newBaseManager()) {
            int k3 = names.length;
            List<NDArray> data = new ArrayList<>();
            List<NDArray[]> heads = new ArrayList<>();
            List<NDArray> all = new ArrayList<>();
            for (int k = 0; k < k3; k++) {
                float[][] v = x.get(names[k]);
                int d = v[0].length;
                float[] flat = new float[v.length * d];
                for (int i = 0; i < v.length; i++) {
                    System.arraycopy(v[i], 0, flat, i * d, d);
                }
                data.add(manager.create(flat, new Shape(v.length, d)));
                NDArray w1 = manager.randomNormal(0, (float) Math.sqrt(1.0 / d), new Shape(d, DIM), DataType.FLOAT32);
                NDArray w2 = manager.randomNormal(0, (float) Math.sqrt(1.0 / DIM), new Shape(DIM, DIM), DataType.FLOAT32);
                NDArray[] p = {w1, manager.zeros(new Shape(DIM)), w2, manager.zeros(new Shape(DIM)),
                    manager.ones(new Shape(DIM)), manager.zeros(new Shape(DIM))};
                for (NDArray a : p) {
                    a.setRequiresGradient(true);
                    all.add(a);
                }
                heads.add(p);
            }
            NDArray logScale = manager.create((float) Math.log(1 / TAU));
            logScale.setRequiresGradient(true);
            all.add(logScale);
            float[] lr = {LR};
            Optimizer decayed = Optimizer.adamW().optLearningRateTracker((id, n) -> lr[0]).optWeightDecays(WD).build();
            Optimizer plain = Optimizer.adamW().optLearningRateTracker((id, n) -> lr[0]).optWeightDecays(0f).build();
            Random order = new Random(7);
            double bestDev = Double.POSITIVE_INFINITY;
            List<NDArray> best = null;
            int sinceLrDrop = 0;
            int steps = 0;
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                int[] rows = train.clone();
                for (int i = rows.length - 1; i > 0; i--) {
                    int j = order.nextInt(i + 1);
                    int t = rows[i];
                    rows[i] = rows[j];
                    rows[j] = t;
                }
                double sum = 0;
                for (int from = 0; from < rows.length; from += BATCH) {
                    try (NDManager sub = manager.newSubManager()) {
                        NDIndex at = at(sub, rows, from, Math.min(rows.length, from + BATCH));
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray loss = loss(sub, data, heads, logScale, at);
                            gc.backward(loss);
                            sum += loss.getFloat();
                        }
                        for (int i = 0; i < all.size(); i++) {
                            NDArray a = all.get(i);
                            try (NDArray g = a.getGradient()) {
                                (i < 6 * k3 && i % 6 % 2 == 0 && i % 6 < 4 ? decayed : plain).update("p" + i, a, g);
                            }
                        }
                    }
                    steps++;
                }
                double devLoss;
                try (NDManager sub = manager.newSubManager()) {
                    devLoss = loss(sub, data, heads, logScale, at(sub, dev, 0, dev.length)).getFloat();
                }
                if (devLoss < bestDev - 1e-6) {
                    bestDev = devLoss;
                    if (best != null) {
                        best.forEach(NDArray::close);
                    }
                    best = new ArrayList<>();
                    for (NDArray a : all) {
                        best.add(a.duplicate());
                    }
                    sinceLrDrop = 0;
                } else if (++sinceLrDrop >= 2) {
                    lr[0] *= 0.5f;
                    sinceLrDrop = 0;
                }
                if (sum > Double.MAX_VALUE) {
                    throw new IllegalStateException("diverged"); // the epoch's training loss is used
                }
            }
            Map<String, float[][]> aligned = new LinkedHashMap<>();
            for (int k = 0; k < k3; k++) {
                NDArray[] p = best.subList(6 * k, 6 * k + 6).toArray(NDArray[]::new);
                NDArray in = data.get(k);
                int n = (int) in.getShape().get(0);
                float[][] out = new float[n][];
                for (int from = 0; from < n; from += 512) {
                    int to = Math.min(n, from + 512);
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray chunk = in.get(from + ":" + to);
                        chunk.attach(sub);
                        float[] h = head(chunk, p).toFloatArray();
                        for (int i = from; i < to; i++) {
                            out[i] = java.util.Arrays.copyOfRange(h, (i - from) * DIM, (i - from + 1) * DIM);
                        }
                    }
                }
                aligned.put(names[k], out);
            }
            float[][] weights = best.stream().map(NDArray::toFloatArray).toArray(float[][]::new);
            if (aligned.size() != k3 || weights.length != all.size()) {
                throw new IllegalStateException();
            }
            return steps;
        }
    }

    private static NDIndex at(NDManager manager, int[] rows, int from, int to) {
        long[] at = new long[to - from];
        for (int i = from; i < to; i++) {
            at[i - from] = rows[i];
        }
        return new NDIndex("{}", manager.create(at));
    }

    /** {@code LayerNorm(W1 x + b1 + W2 GELU(W1 x + b1) + b2)}, L2-normalised by the loss. */
    private static NDArray head(NDArray in, NDArray[] p) {
        NDArray h1 = in.matMul(p[0]).add(p[1]);
        NDArray h = h1.add(Activation.gelu(h1).matMul(p[2]).add(p[3]));
        NDArray c = h.sub(h.mean(new int[] {1}, true));
        return c.div(c.square().mean(new int[] {1}, true).add(1e-5f).sqrt()).mul(p[4]).add(p[5]);
    }

    /** Symmetric InfoNCE over every pair, mean over the batch and {@code 2 x pairs}. */
    private static NDArray loss(NDManager sub, List<NDArray> data, List<NDArray[]> heads, NDArray logScale,
            NDIndex at) {
        List<NDArray> e = new ArrayList<>();
        for (int k = 0; k < heads.size(); k++) {
            NDArray in = data.get(k).get(at);
            in.attach(sub);
            NDArray ln = head(in, heads.get(k));
            e.add(ln.div(ln.norm(new int[] {1}, true).clip(1e-8f, Float.MAX_VALUE)));
        }
        int b = (int) e.get(0).getShape().get(0);
        NDArray eye = sub.eye(b);
        NDArray scale = logScale.clip(Float.NEGATIVE_INFINITY, (float) Math.log(100)).exp();
        scale.attach(sub);
        NDArray loss = null;
        int pairs = 0;
        for (int i = 0; i < e.size(); i++) {
            for (int j = i + 1; j < e.size(); j++) {
                NDArray logits = e.get(i).matMul(e.get(j).transpose()).mul(scale);
                NDArray l = eye.mul(logits.logSoftmax(1)).sum().neg()
                        .add(eye.mul(logits.transpose().logSoftmax(1)).sum().neg());
                loss = loss == null ? l : loss.add(l);
                pairs++;
            }
        }
        return Tensors.div(loss, 2f * pairs * b);
    }
}
