package org.nmodal.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.FusionTraining;
import org.nmodal.api.fusion.SupervisedFusion;
import org.nmodal.api.fusion.SupervisedFusionStrategy;
import org.nmodal.djl.NoGrad;
import org.nmodal.djl.Tensors;

/**
 * Trains a {@link SupervisedFusion} with a task's labels: a seeded share of the fitting posts is held out, the rest
 * train in shuffled mini-batches on the cross-entropy of the fusion's class scores (AdamW, weight decay on the
 * matrices only), the held-out loss after each epoch decides when to stop, and the best epoch's weights are the ones
 * kept. Then it predicts the posts asked for.
 */
public final class SupervisedFitter {
    private static final int PREDICT_BATCH = 256;
    /** DJL's PyTorch engine allows one gradient collector at a time in the JVM: fits running in parallel take turns. */
    private static final Object COLLECTING = new Object();

    private SupervisedFitter() {}

    /**
     * Class probabilities of the predicted rows, how the training went, and the kept weights (in the order of the
     * fusion's {@link SupervisedFusion#parameters()}, for {@link FusionFitter#setWeights}), so the fusion can be stored
     * and served.
     */
    public record Fitted(float[][] probabilities, int epochs, int bestEpoch, double heldOutLoss, float[][] weights) {}

    /**
     * @param features per-modality vectors of every post (null where a post lacks one); each modality's width is its
     *     rows' length
     * @param rows the posts to learn from, with their class indices {@code y}
     * @param predict the posts to score
     */
    public static Fitted fit(Engine engine, SupervisedFusionStrategy strategy, Map<String, ?> settings,
            List<String> subset, Map<String, float[][]> features, int[] rows, int[] y, int classes, long seed,
            int[] predict) {
        synchronized (COLLECTING) {
            return fitAlone(engine, strategy, settings, subset, features, rows, y, classes, seed, predict);
        }
    }

    private static Fitted fitAlone(Engine engine, SupervisedFusionStrategy strategy, Map<String, ?> settings,
            List<String> subset, Map<String, float[][]> features, int[] rows, int[] y, int classes, long seed,
            int[] predict) {
        Map<String, Integer> dims = new LinkedHashMap<>();
        subset.forEach(m -> dims.put(m, Math.max(1, Rows.width(features.get(m)))));
        try (NDManager manager = engine.newBaseManager()) {
            SupervisedFusion fusion = strategy.createSupervised(new FusionTask(subset, dims, classes, seed), settings,
                    manager);
            FusionTraining t = fusion.training();
            Random r = new Random(seed);
            int[] order = rows.clone();
            int[] labels = y.clone();
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                swap(order, i, j);
                swap(labels, i, j);
            }
            int held = Math.max(1, Math.min(order.length - 2, (int) Math.round(t.holdout() * order.length)));
            int[] dev = Arrays.copyOf(order, held);
            int[] yDev = Arrays.copyOf(labels, held);
            int[] train = Arrays.copyOfRange(order, held, order.length);
            int[] yTrain = Arrays.copyOfRange(labels, held, labels.length);
            Batches.Resident in = new Batches.Resident(manager, subset, features, dims::get);
            List<NDArray> params = fusion.parameters();
            AdamW adam = new AdamW(manager, params, p -> p.getShape().dimension() > 1);
            double best = Double.POSITIVE_INFINITY;
            float[][] bestWeights = null;
            int bestEpoch = 0;
            int epoch = 0;
            int[] idx = Batches.all(train.length);
            for (int bad = 0; epoch < t.epochs() && bad < t.patience(); ) {
                epoch++;
                for (int i = idx.length - 1; i > 0; i--) {
                    swap(idx, i, r.nextInt(i + 1));
                }
                for (int from = 0; from + 1 < idx.length; from += t.batch()) {
                    int n = Math.min(t.batch(), idx.length - from);
                    int[] b = new int[n];
                    int[] yb = new int[n];
                    for (int k = 0; k < n; k++) {
                        b[k] = train[idx[from + k]];
                        yb[k] = yTrain[idx[from + k]];
                    }
                    try (NDManager step = manager.newSubManager()) {
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray logits = fusion.logits(in.batch(step, b, null, false), true);
                            gc.backward(crossEntropy(step, logits, yb, classes));
                        }
                        adam.step(t.lr(), t.weightDecay());
                    }
                }
                double loss = heldOutLoss(fusion, in, manager, dev, yDev, classes);
                if (loss < best - 1e-6) {
                    best = loss;
                    bestEpoch = epoch;
                    bestWeights = FusionFitter.weights(fusion);
                    bad = 0;
                } else {
                    bad++;
                }
            }
            if (bestWeights != null) {
                FusionFitter.setWeights(fusion, bestWeights);
            } else {
                bestWeights = FusionFitter.weights(fusion);
            }
            float[][] p = new float[predict.length][];
            try (NoGrad g = NoGrad.enter()) {
                for (int from = 0; from < predict.length; from += PREDICT_BATCH) {
                    int[] b = Arrays.copyOfRange(predict, from, Math.min(predict.length, from + PREDICT_BATCH));
                    try (NDManager step = manager.newSubManager()) {
                        float[] flat = fusion.logits(in.batch(step, b, null, false), false).softmax(1).toFloatArray();
                        float[][] split = Batches.split(flat, b.length, classes);
                        System.arraycopy(split, 0, p, from, b.length);
                    }
                }
            }
            return new Fitted(p, epoch, bestEpoch, best, bestWeights);
        }
    }

    private static double heldOutLoss(SupervisedFusion fusion, Batches.Resident in, NDManager manager, int[] dev,
            int[] y, int classes) {
        try (NoGrad g = NoGrad.enter(); NDManager step = manager.newSubManager()) {
            NDArray logits = fusion.logits(in.batch(step, dev, null, false), false);
            return crossEntropy(step, logits, y, classes).getFloat();
        }
    }

    /** Mean cross-entropy of the rows' classes under the scores. */
    static NDArray crossEntropy(NDManager manager, NDArray logits, int[] y, int classes) {
        float[] onehot = new float[y.length * classes];
        for (int k = 0; k < y.length; k++) {
            onehot[k * classes + y[k]] = 1;
        }
        NDArray target = manager.create(onehot, new Shape(y.length, classes));
        return Tensors.div(target.mul(logits.logSoftmax(1)).sum().neg(), y.length);
    }

    private static void swap(int[] a, int i, int j) {
        int x = a[i];
        a[i] = a[j];
        a[j] = x;
    }
}
