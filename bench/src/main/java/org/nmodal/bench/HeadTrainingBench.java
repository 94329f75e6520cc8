package org.nmodal.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nmodal.loss.Losses;
import org.nmodal.training.HeadTrainer;

/**
 * Projection-head training steps per second through nmodal's trainer (three heads, InfoNCE, AdamW, batch 256,
 * 256-d) and through a hand-written DJL loop doing the same arithmetic with DJL's own Adam, on the same data.
 */
public final class HeadTrainingBench {
    private static final int N = 2560;
    private static final int BATCH = 256;
    private static final int DIM = 256;
    private static final int EPOCHS = 4;

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
        int stepsPerEpoch = N / BATCH;
        double[] viaNmodal = new double[3];
        double[] viaRaw = new double[3];
        for (int round = 0; round < 3; round++) {
            HeadTrainer trainer = new HeadTrainer(engine, ms, x, DIM, 0.0);
            long t0 = System.nanoTime();
            HeadTrainer.Result result = trainer.train(train, dev, Losses.infoNce(0.07)::apply, EPOCHS, BATCH,
                    1e-3, 1e-3, EPOCHS, 7, null, null);
            // the trainer also evaluates the dev batch each epoch and embeds everything once at the end
            viaNmodal[round] = stepsPerEpoch * result.history().size() / ((System.nanoTime() - t0) / 1e9);
            viaRaw[round] = raw(engine, x, names, dims, stepsPerEpoch * EPOCHS);
        }
        double n = BenchSupport.median(viaNmodal);
        double d = BenchSupport.median(viaRaw);
        System.out.println();
        System.out.println("projection-head training, 3 heads, InfoNCE, batch " + BATCH + ", " + DIM
                + "-d, steps/s, median of 3");
        System.out.println("  nmodal trainer " + BenchSupport.f(n) + "   hand-written DJL loop " + BenchSupport.f(d)
                + "   ratio nmodal/raw " + BenchSupport.f(n / d));
    }

    /** The same heads and loss written out with DJL's Adam; no dev evaluation, no checkpoints, no embedding pass. */
    private static double raw(Engine engine, Map<String, float[][]> x, String[] names, int[] dims, int steps) {
        try (NDManager manager = engine.newBaseManager()) {
            List<NDArray[]> heads = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                NDArray w1 = manager.randomNormal(0, (float) Math.sqrt(1.0 / dims[k]), new Shape(dims[k], DIM), ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray w2 = manager.randomNormal(0, (float) Math.sqrt(1.0 / DIM), new Shape(DIM, DIM), ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray[] p = {w1, manager.zeros(new Shape(DIM)), w2, manager.zeros(new Shape(DIM)),
                    manager.ones(new Shape(DIM)), manager.zeros(new Shape(DIM))};
                for (NDArray a : p) {
                    a.setRequiresGradient(true);
                }
                heads.add(p);
            }
            NDArray logScale = manager.create((float) Math.log(1 / 0.07));
            logScale.setRequiresGradient(true);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optWeightDecays(1e-3f).build();
            long t0 = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                int from = (step * BATCH) % N;
                try (NDManager sub = manager.newSubManager()) {
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        List<NDArray> e = new ArrayList<>();
                        for (int k = 0; k < 3; k++) {
                            float[] flat = new float[BATCH * dims[k]];
                            for (int b = 0; b < BATCH; b++) {
                                System.arraycopy(x.get(names[k])[from + b], 0, flat, b * dims[k], dims[k]);
                            }
                            NDArray[] p = heads.get(k);
                            NDArray in = sub.create(flat, new Shape(BATCH, dims[k]));
                            NDArray h1 = in.matMul(p[0]).add(p[1]);
                            NDArray h = h1.add(Activation.gelu(h1).matMul(p[2]).add(p[3]));
                            NDArray c = h.sub(h.mean(new int[] {1}, true));
                            NDArray ln = c.div(c.square().mean(new int[] {1}, true).add(1e-5f).sqrt()).mul(p[4]).add(p[5]);
                            e.add(ln.div(ln.norm(new int[] {1}, true)));
                        }
                        NDArray eye = sub.eye(BATCH);
                        NDArray loss = null;
                        for (int i = 0; i < 3; i++) {
                            for (int j = i + 1; j < 3; j++) {
                                NDArray logits = e.get(i).matMul(e.get(j).transpose()).mul(logScale.exp());
                                NDArray l = eye.mul(logits.logSoftmax(1)).sum().neg()
                                        .add(eye.mul(logits.transpose().logSoftmax(1)).sum().neg());
                                loss = loss == null ? l : loss.add(l);
                            }
                        }
                        gc.backward(loss.div(6f * BATCH));
                    }
                    int id = 0;
                    for (NDArray[] p : heads) {
                        for (NDArray a : p) {
                            adam.update("p" + id++, a, a.getGradient());
                        }
                    }
                    adam.update("scale", logScale, logScale.getGradient());
                }
            }
            return steps / ((System.nanoTime() - t0) / 1e9);
        }
    }

}
