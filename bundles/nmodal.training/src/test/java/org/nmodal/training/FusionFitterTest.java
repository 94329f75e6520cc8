package org.nmodal.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;

class FusionFitterTest {
    /** Softmax-gated mean over the modalities present, one learnable gate each (or fixed gates: learn=false). */
    private static final class Gated implements FusionStrategy {
        final Map<String, Object> seen = new HashMap<>();

        @Override
        public String name() {
            return "test-gated";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            seen.putAll(settings);
            boolean learn = !Boolean.FALSE.equals(settings.get("learn"));
            NDArray gates = manager.zeros(new Shape(modalities.size()));
            gates.setRequiresGradient(true);
            return new Fusion() {
                @Override
                public int outputDimension() {
                    return dimension;
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    NDArray presence = batch.presence();
                    NDArray w = gates.reshape(1, -1).add(presence.sub(1).mul(1e4f)).softmax(1).mul(presence);
                    NDArray sum = null;
                    for (int i = 0; i < modalities.size(); i++) {
                        NDArray part = batch.embeddings(modalities.get(i)).mul(w.get(":, " + i).reshape(-1, 1));
                        sum = sum == null ? part : sum.add(part);
                    }
                    return sum.div(w.sum(new int[] {1}, true).clip(1e-12f, Float.MAX_VALUE));
                }

                @Override
                public List<NDArray> parameters() {
                    return learn ? List.of(gates) : List.of();
                }
            };
        }
    }

    @Test
    void gatesLearnToFavourTheInformativeModality() {
        Random r = new Random(2);
        int n = 400;
        int dim = 8;
        float[][] signal = new float[n][dim];
        float[][] noise = new float[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < dim; j++) {
                signal[i][j] = (float) (r.nextGaussian() * 0.5 + (j == 0 ? 2 * y[i] - 1 : 0));
                noise[i][j] = (float) (r.nextGaussian() * 3);
            }
        }
        Map<String, float[][]> aligned = Map.of("a", signal, "b", noise);
        List<String> subset = List.of("a", "b");
        int[] rows = IntStream.range(0, n).toArray();
        Engine engine = Engine.getEngine("PyTorch");
        Gated strategy = new Gated();
        float[][] mean = FusionFitter.fit(engine, aligned,
                new FusionFitter.Fusing(strategy, Map.of("learn", false), subset, dim), rows, y, 2, 1, null);
        assertEquals(false, strategy.seen.get("learn"), "the pipeline's fusion settings reach the strategy");
        float[][] gated = FusionFitter.fit(engine, aligned, new FusionFitter.Fusing(strategy, Map.of(), subset, dim),
                rows, y, 2, 1, null);
        double sMean = separation(mean, y);
        double sGated = separation(gated, y);
        assertTrue(sGated > 1.5 * sMean, "class separation, gated " + sGated + " vs mean " + sMean);
    }

    /** Distance of the class means on feature 0 over the pooled spread of feature 0. */
    private static double separation(float[][] x, int[] y) {
        double[] sum = new double[2];
        double[] sq = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < x.length; i++) {
            sum[y[i]] += x[i][0];
            sq[y[i]] += x[i][0] * x[i][0];
            count[y[i]]++;
        }
        double m0 = sum[0] / count[0];
        double m1 = sum[1] / count[1];
        double v = (sq[0] / count[0] - m0 * m0 + sq[1] / count[1] - m1 * m1) / 2;
        return Math.abs(m1 - m0) / Math.sqrt(v);
    }
}
