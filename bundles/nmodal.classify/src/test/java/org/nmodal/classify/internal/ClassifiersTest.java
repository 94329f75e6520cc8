package org.nmodal.classify.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.Evaluation;
import org.nmodal.api.classify.TrainedClassifier;

class ClassifiersTest {
    /** Three Gaussian blobs in 20-d, 12 informative dimensions; seeded. */
    static float[][][] blobs(int n, long seed, int[][] labelsOut) {
        Random r = new Random(seed);
        float[][] x = new float[n][20];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 20; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j < 12 && j % 3 == y[i] ? 1.6 : 0) + (j == 19 ? 100 : 0));
            }
        }
        labelsOut[0] = y;
        return new float[][][] {x};
    }

    static List<DownstreamClassifier> all() {
        return List.of(new GaussianNaiveBayes(), new LogisticRegression(0), new LinearSvm(0),
                new RandomForest(forest(100, 8)));
    }

    @Test
    void everyClassifierLearnsHeldOutBlobsAndRoundTrips() throws Exception {
        int[][] ytr = new int[1][];
        int[][] yte = new int[1][];
        float[][] train = blobs(600, 1, ytr)[0];
        float[][] test = blobs(300, 2, yte)[0];
        for (DownstreamClassifier c : all()) {
            TrainedClassifier model = c.train(train, ytr[0], 3, 7);
            int[] predicted = new int[test.length];
            double[][] batch = model.probabilities(test);
            for (int i = 0; i < test.length; i++) {
                predicted[i] = model.predict(test[i]);
                double sum = 0;
                for (double p : batch[i]) {
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5, c.name() + " probabilities must sum to 1");
            }
            Evaluation e = Evaluation.of(yte[0], predicted, 3);
            // three informative dimensions per class, shifted by 1.6 standard deviations each
            assertTrue(e.accuracy() > 0.85, c.name() + " accuracy " + e.accuracy());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.save(bytes);
            TrainedClassifier back = c.load(new ByteArrayInputStream(bytes.toByteArray()));
            assertArrayEquals(model.probabilities(test[5]), back.probabilities(test[5]), 1e-6, c.name() + " reload");
        }
    }

    @Test
    void trainingIsRepeatableWithTheSameSeed() {
        int[][] y = new int[1][];
        float[][] x = blobs(300, 3, y)[0];
        for (DownstreamClassifier c : all()) {
            double[] a = c.train(x, y[0], 3, 11).probabilities(x[0]);
            double[] b = c.train(x, y[0], 3, 11).probabilities(x[0]);
            assertArrayEquals(a, b, 1e-9, c.name());
        }
    }

    @Test
    void fitsInParallelEqualTheSameFitsOneAfterAnother() throws Exception {
        // LIBLINEAR fits no longer share a lock (its random state is per Parameter): the ablation runs them at once
        int[][] y = new int[1][];
        float[][] x = blobs(300, 4, y)[0];
        for (DownstreamClassifier c : all()) {
            double[] alone = c.train(x, y[0], 3, 5).probabilities(x[1]);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<double[]>> runs = new java.util.ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    runs.add(pool.submit(() -> c.train(x, y[0], 3, 5).probabilities(x[1])));
                }
                for (java.util.concurrent.Future<double[]> f : runs) {
                    assertArrayEquals(alone, f.get(), 1e-9, c.name());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void warmStartedCostSearchChoosesLikeColdFits() {
        // the search warm-starts each cost from the previous one's weights: the same optimum, so the same choice as
        // scoring every cost from scratch (done here by hand with fixed-cost fits on the same folds)
        int[][] y = new int[1][];
        float[][] x = blobs(240, 6, y)[0];
        for (de.bwaldvogel.liblinear.SolverType solver : List.of(de.bwaldvogel.liblinear.SolverType.L2R_LR,
                de.bwaldvogel.liblinear.SolverType.L2R_L2LOSS_SVC)) {
            int[] order = new int[x.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Random r = new Random(3);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double bestCost = 1;
            int best = -1;
            for (double cost : LiblinearModel.GRID) {
                int correct = 0;
                for (int f = 0; f < 3; f++) {
                    List<float[]> xt = new java.util.ArrayList<>();
                    List<Integer> yt = new java.util.ArrayList<>();
                    for (int k = 0; k < order.length; k++) {
                        if (k % 3 != f) {
                            xt.add(x[order[k]]);
                            yt.add(y[0][order[k]]);
                        }
                    }
                    // the search standardises all rows once; a fixed-cost fit standardises its own rows: compare
                    // choices, which tolerate that difference on well-separated blobs
                    LiblinearModel m = LiblinearModel.train(xt.toArray(float[][]::new),
                            yt.stream().mapToInt(Integer::intValue).toArray(), 3, solver, cost);
                    for (int k = 0; k < order.length; k++) {
                        if (k % 3 == f) {
                            correct += m.predict(x[order[k]]) == y[0][order[k]] ? 1 : 0;
                        }
                    }
                }
                if (correct > best) {
                    best = correct;
                    bestCost = cost;
                }
            }
            assertEquals(bestCost, LiblinearModel.chooseCost(x, y[0], 3, solver, 3), solver.toString());
        }
    }

    @Test
    void naiveBayesMatchesTheHandComputedPosterior() {
        // class 0: x in {0, 2} (mean 1, var 1); class 1: x in {4, 6} (mean 5, var 1); equal priors
        float[][] x = {{0}, {2}, {4}, {6}};
        int[] y = {0, 0, 1, 1};
        double[] p = new GaussianNaiveBayes().train(x, y, 2, 0).probabilities(new float[] {2});
        // log-likelihood difference at x = 2: -(1/2)(1) vs -(1/2)(9): odds e^4
        assertEquals(Math.exp(4) / (1 + Math.exp(4)), p[0], 1e-6);
    }

    @Test
    void evaluationScoresByHand() {
        Evaluation e = Evaluation.of(new int[] {0, 0, 1, 1, 2}, new int[] {0, 1, 1, 1, 0}, 3);
        assertEquals(0.6, e.accuracy(), 1e-12);
        // F1: class 0 = 2*1/(2+2)=0.5, class 1 = 2*2/(2+3)=0.8, class 2 = 0 -> mean 0.4333
        assertEquals((0.5 + 0.8 + 0) / 3, e.macroF1(), 1e-12);
        assertEquals(1, e.confusion()[2][0]);
    }

    @Test
    void crossValidationPicksAStrongerPenaltyWhenFeaturesAreMostlyNoise() {
        // 30 rows, 2 informative features among 200 noise ones: a small C (strong penalty) generalises better
        Random r = new Random(9);
        float[][] x = new float[30][202];
        int[] y = new int[30];
        for (int i = 0; i < 30; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 202; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j < 2 ? 2 * y[i] : 0));
            }
        }
        double chosen = LiblinearModel.chooseCost(x, y, 2, de.bwaldvogel.liblinear.SolverType.L2R_LR, 1);
        assertTrue(chosen < 1, "chose C = " + chosen);
        assertEquals(chosen, LiblinearModel.chooseCost(x, y, 2, de.bwaldvogel.liblinear.SolverType.L2R_LR, 1),
                "the same seed must choose the same cost");
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianNaiveBayes().train(new float[][] {{1}}, new int[] {3}, 2, 0));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinearSvm(-1));
    }

    @Test
    void aPipelinesSettingsReachTheClassifierAndUnknownOnesAreNamed() throws Exception {
        int[][] y = new int[1][];
        float[][] x = blobs(300, 4, y)[0];
        float[] probe = x[7];
        // trees and depth from the pipeline: the same model as a forest configured with them, not the PID's default
        double[] viaSettings = new RandomForest(forest(100, 8)).train(x, y[0], 3, 5,
                java.util.Map.of("trees", 2.0, "maxDepth", 1.0)).probabilities(probe);
        double[] configured = new RandomForest(forest(2, 1)).train(x, y[0], 3, 5).probabilities(probe);
        double[] byDefault = new RandomForest(forest(100, 8)).train(x, y[0], 3, 5).probabilities(probe);
        assertArrayEquals(configured, viaSettings, 1e-12);
        assertTrue(!java.util.Arrays.equals(byDefault, viaSettings), "the settings changed the forest");
        // c for the linear ones: a tiny cost shrinks the weights, so the probabilities move towards uniform
        double[] smallC = new LogisticRegression(0).train(x, y[0], 3, 5, java.util.Map.of("c", 1e-6))
                .probabilities(probe);
        assertArrayEquals(new LogisticRegression(1e-6).train(x, y[0], 3, 5).probabilities(probe), smallC, 1e-12);

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new RandomForest(forest(100, 8)).checkSettings(java.util.Map.of("tres", 300.0)));
        assertEquals("classifier 'random-forest': unknown setting 'tres' (settings: maxBin, maxDepth, threads, trees)",
                unknown.getMessage());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> new RandomForest(forest(100, 8)).checkSettings(java.util.Map.of("trees", 0.5)));
        assertTrue(half.getMessage().contains("trees must be a whole number >= 1"), half.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> new LinearSvm(0).checkSettings(java.util.Map.of("c", "big")));
        assertTrue(text.getMessage().contains("c must be a number"), text.getMessage());
        // a classifier written before settings existed (the API's default) takes none, and says so
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new GaussianNaiveBayes().train(x, y[0], 3, 5, java.util.Map.of("smoothing", 1.0)));
        assertTrue(none.getMessage().contains("takes no settings (got smoothing)"), none.getMessage());
        new GaussianNaiveBayes().train(x, y[0], 3, 5, java.util.Map.of()); // no settings: as before
    }

    static RandomForest.Config forest(int trees, int depth) {
        return new RandomForest.Config() {
            @Override public int trees() { return trees; }
            @Override public int maxDepth() { return depth; }
            @Override public int maxBin() { return 64; }
            @Override public int threads() { return 2; }
            @Override public Class<? extends Annotation> annotationType() { return RandomForest.Config.class; }
        };
    }
}
