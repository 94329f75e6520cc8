package org.nmodal.loss.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.api.loss.MetaReweighting;

class MamaTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void theAngularLossMatchesTheLoopReferenceWithThreeAndFourModalitiesAndMissingOnes() {
        Random r = new Random(3);
        for (int m = 3; m <= 4; m++) {
            for (int trial = 0; trial < 4; trial++) {
                int n = 5;
                double[][][] e = new double[m][n][4];
                boolean[][] present = new boolean[n][m];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < m; k++) {
                        present[i][k] = trial == 0 || r.nextDouble() > 0.25;
                        for (int d = 0; d < 4; d++) {
                            e[k][i][d] = r.nextGaussian();
                        }
                    }
                }
                if (trial > 0) {
                    present[1][m - 1] = false; // a missing one, surely
                }
                ModalityBatch batch = batch(e, present);
                for (double margin : new double[] {0.05, 0.3}) {
                    assertClose(Reference.mama(e, present, 1 / 0.1, margin), new MamaAngularLoss()
                            .create(Map.of("temperature", 0.1, "margin", margin), manager).perSample(batch));
                }
            }
        }
    }

    @Test
    void marginZeroIsThePlainAngularFormThatIsInfoNce() {
        Random r = new Random(8);
        double[][][] e = new double[3][6][5];
        for (double[][] x : e) {
            for (double[] row : x) {
                for (int d = 0; d < row.length; d++) {
                    row[d] = r.nextGaussian();
                }
            }
        }
        boolean[][] present = new boolean[6][3];
        for (boolean[] row : present) {
            java.util.Arrays.fill(row, true);
        }
        present[2][0] = false;
        ModalityBatch batch = batch(e, present);
        NDArray plain = new MamaAngularLoss().create(Map.of("margin", 0.0, "temperature", 0.2), manager).perSample(batch);
        assertClose(Reference.mama(e, present, 5, 0), plain);
        assertClose(Reference.infoNce(e, present, 5), plain);
        // the subtractive margin brings positives closer than they are (these angles all exceed it): the loss falls
        float[] withMargin = new MamaAngularLoss().create(Map.of("margin", 0.2, "temperature", 0.2), manager)
                .perSample(batch).toFloatArray();
        float[] p = plain.toFloatArray();
        for (int i = 0; i < p.length; i++) {
            assertTrue(withMargin[i] < p[i], "post " + i + ": " + withMargin[i] + " >= " + p[i]);
        }
    }

    @Test
    void badMamaSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MamaAngularLoss().create(Map.of("margn", 0.1), manager));
        assertTrue(e.getMessage().contains("unknown setting 'margn'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MetaWeightReweighter().create(Map.of("hidden", 0.0), manager));
        assertTrue(e.getMessage().contains("hidden >= 1"), e.getMessage());
        LossFunction fixed = new MamaAngularLoss().create(Map.of("learnTemperature", false), manager);
        assertTrue(fixed.parameters().isEmpty());
    }

    /**
     * A synthetic meta problem: posts whose loss was made artificially high are the ones whose gradients disagree with
     * the clean meta gradient (negative agreement), the others agree. The weight net, seeded, must learn to give the
     * high-loss posts less weight than the clean ones.
     */
    @Test
    void theWeightNetLearnsToDownWeightArtificiallyHighLossPosts() {
        MetaReweighting net = (MetaReweighting) new MetaWeightReweighter().create(Map.of("lr", 0.01, "seed", 5.0),
                manager);
        Random r = new Random(21);
        int b = 64;
        float[] cleanLoss = new float[16];
        float[] noisyLoss = new float[16];
        for (int i = 0; i < 16; i++) {
            cleanLoss[i] = (float) (1 + 0.5 * r.nextDouble());
            noisyLoss[i] = (float) (4 + 1.5 * r.nextDouble());
        }
        for (int step = 0; step < 300; step++) {
            float[] loss = new float[b];
            float[] agreement = new float[b];
            for (int i = 0; i < b; i++) {
                boolean noisy = i % 4 == 0; // a quarter of the posts
                loss[i] = (float) (noisy ? 4 + 1.5 * r.nextDouble() : 1 + 0.5 * r.nextDouble());
                agreement[i] = (float) ((noisy ? -1 : 1) + 0.5 * r.nextGaussian());
            }
            net.metaUpdate(manager.create(loss), manager.create(agreement));
        }
        // one mixed batch, as in training: the net sees each loss against its batch
        float[] mixed = new float[32];
        System.arraycopy(cleanLoss, 0, mixed, 0, 16);
        System.arraycopy(noisyLoss, 0, mixed, 16, 16);
        float[] all = net.rawWeights(manager.create(mixed)).toFloatArray();
        float[] clean = java.util.Arrays.copyOfRange(all, 0, 16);
        float[] noisy = java.util.Arrays.copyOfRange(all, 16, 32);
        double meanClean = mean(clean);
        double meanNoisy = mean(noisy);
        assertTrue(meanNoisy < 0.5 * meanClean, "noisy " + meanNoisy + " vs clean " + meanClean);
        float[] w = net.weights(manager.create(cleanLoss)).toFloatArray();
        assertEquals(1.0, sum(w), 1e-5, "weights sum to 1");
    }

    /**
     * With {@code history}, the net sees each post's batch-standardised loss averaged over the epochs: checked against
     * the recurrence by hand; during {@code warmup} the weights are uniform.
     */
    @Test
    void theLossHistoryAveragesEachPostsStandingOverTheEpochsAndTheWarmUpWeighsUniformly() {
        MetaReweighting net = (MetaReweighting) new MetaWeightReweighter().create(Map.of("history", 0.75, "warmup",
                1.0), manager);
        // epoch 1: losses 1, 2, 3 (standardised -1.2247, 0, 1.2247); rows 5, 0, 9
        float[] first = net.input(new int[] {5, 0, 9}, manager.create(new float[] {1, 2, 3}), 1).toFloatArray();
        double z = Math.sqrt(1.5);
        assertEquals(-z, first[0], 1e-4);
        assertEquals(0, first[1], 1e-4);
        assertEquals(z, first[2], 1e-4);
        float[] uniform = net.weights(manager.create(first)).toFloatArray();
        for (float w : uniform) {
            assertEquals(1 / 3.0, w, 1e-6, "uniform during the warm-up");
        }
        // epoch 2: rows 9 and 5 swap standing (row 0 is new to this batch's company but keeps its history)
        float[] second = net.input(new int[] {9, 5, 0}, manager.create(new float[] {1, 3, 2}), 2).toFloatArray();
        assertEquals(0.75 * z + 0.25 * -z, second[0], 1e-4);
        assertEquals(0.75 * -z + 0.25 * z, second[1], 1e-4);
        assertEquals(0, second[2], 1e-4);
        float[] after = net.weights(manager.create(second)).toFloatArray();
        assertTrue(after[0] != after[1], "the net weighs after the warm-up");
        assertEquals(1.0, sum(after), 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MetaWeightReweighter().create(Map.of("history", 1.5), manager));
        assertTrue(e.getMessage().contains("0 <= history <= 1"), e.getMessage());
    }

    private static double mean(float[] x) {
        return sum(x) / x.length;
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float f : x) {
            s += f;
        }
        return s;
    }

    private void assertClose(double[] expected, NDArray got) {
        float[] g = got.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], g[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "post " + i);
        }
    }

    private ModalityBatch batch(double[][][] e, boolean[][] present) {
        int m = e.length;
        int n = e[0].length;
        List<String> names = new ArrayList<>();
        Map<String, NDArray> emb = new HashMap<>();
        for (int k = 0; k < m; k++) {
            names.add("m" + k);
            int d = e[k][0].length;
            float[] flat = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    flat[i * d + j] = (float) e[k][i][j];
                }
            }
            emb.put("m" + k, manager.create(flat, new Shape(n, d)));
        }
        float[] mask = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                mask[i * m + k] = present[i][k] ? 1 : 0;
            }
        }
        return new ModalityBatch(names, emb, manager.create(mask, new Shape(n, m)));
    }
}
