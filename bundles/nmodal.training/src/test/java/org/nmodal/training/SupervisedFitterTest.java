package org.nmodal.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.FusionTraining;
import org.nmodal.api.fusion.SupervisedFusion;
import org.nmodal.api.fusion.SupervisedFusionStrategy;

/**
 * The supervised fitter trains a third party's fusion (here a presence-masked linear layer over the concatenation, as
 * small as a supervised fusion gets) with the labels, stops early and predicts; the same seed gives the same model.
 */
class SupervisedFitterTest {
    /** Logistic regression over both modalities side by side, each masked by its presence. */
    static final class Linear implements SupervisedFusionStrategy {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SupervisedFusion createSupervised(FusionTask task, Map<String, ?> settings, NDManager manager) {
            int in = task.modalities().stream().mapToInt(m -> task.dimensions().get(m)).sum();
            Random r = new Random(task.seed());
            float[] w0 = new float[in * task.classes()];
            for (int i = 0; i < w0.length; i++) {
                w0[i] = (float) (r.nextGaussian() * 0.01);
            }
            NDArray w = manager.create(w0, new Shape(in, task.classes()));
            NDArray b = manager.zeros(new Shape(task.classes()));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            return new SupervisedFusion() {
                @Override
                public NDArray logits(ModalityBatch batch, boolean training) {
                    return fuse(batch).matMul(w).add(b);
                }

                @Override
                public FusionTraining training() {
                    return new FusionTraining(200, 32, 0.05, 0.0, 5, 0.2);
                }

                @Override
                public int outputDimension() {
                    return in;
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    NDList parts = new NDList();
                    task.modalities().forEach(m -> parts.add(batch.embeddings(m).mul(batch.presence(m).reshape(-1, 1))));
                    return NDArrays.concat(parts, 1);
                }

                @Override
                public List<NDArray> parameters() {
                    return List.of(w, b);
                }
            };
        }
    }

    @Test
    void learnsFromTheLabelsStopsEarlyAndIsReproducible() {
        // the class shows in modality a's first value or, where a is missing, in b's second
        int n = 400;
        Random r = new Random(3);
        float[][] a = new float[n][];
        float[][] b = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            float sign = y[i] == 1 ? 1 : -1;
            if (i % 4 != 0) {
                a[i] = new float[] {sign + (float) r.nextGaussian() * 0.5f, (float) r.nextGaussian(), (float) r.nextGaussian()};
            }
            b[i] = new float[] {(float) r.nextGaussian(), sign + (float) r.nextGaussian() * 0.5f};
        }
        int[] fit = java.util.stream.IntStream.range(0, 300).toArray();
        int[] test = java.util.stream.IntStream.range(300, n).toArray();
        int[] yFit = java.util.Arrays.copyOf(y, 300);
        Engine engine = Engine.getEngine("PyTorch");
        Map<String, float[][]> x = Map.of("a", a, "b", b);
        SupervisedFitter.Fitted f = SupervisedFitter.fit(engine, new Linear(), Map.of(), List.of("a", "b"), x, fit, yFit,
                2, 7, test);
        int right = 0;
        for (int k = 0; k < test.length; k++) {
            right += (f.probabilities()[k][1] > 0.5 ? 1 : 0) == y[test[k]] ? 1 : 0;
        }
        double accuracy = right / (double) test.length;
        assertTrue(accuracy >= 0.93, "test accuracy " + accuracy);
        assertTrue(f.epochs() < 200 && f.bestEpoch() <= f.epochs(), "stopped early: " + f.epochs() + " epochs, best "
                + f.bestEpoch());
        SupervisedFitter.Fitted again = SupervisedFitter.fit(engine, new Linear(), Map.of(), List.of("a", "b"), x, fit,
                yFit, 2, 7, test);
        for (int k = 0; k < test.length; k++) {
            assertArrayEquals(f.probabilities()[k], again.probabilities()[k], 1e-6f);
        }
    }
}
