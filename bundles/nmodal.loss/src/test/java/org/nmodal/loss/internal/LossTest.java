package org.nmodal.loss.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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

class LossTest {
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
    void softClipMatchesTheHandComputedValue() {
        // two orthogonal unit posts, identical in both modalities, tau = 1: targets are softmax([1, 0]),
        // logits are [1, 0], so each direction costs the entropy of softmax([1, 0])
        double[][][] e = {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}};
        float[] got = new SoftTargetContrastiveLoss().create(Map.of("temperature", 1.0), manager)
                .perSample(batch(e, allPresent(2, 2))).toFloatArray();
        double p = Math.E / (1 + Math.E);
        double entropy = -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
        assertEquals(entropy, got[0], 1e-5);
        assertEquals(entropy, got[1], 1e-5);
    }

    @Test
    void infoNceMatchesTheHandComputedValue() {
        double[][][] e = {{{2, 0}, {0, 3}}, {{5, 0}, {0, 1}}};
        float[] got = new InfoNceLoss().create(Map.of("temperature", 1.0), manager)
                .perSample(batch(e, allPresent(2, 2))).toFloatArray();
        // normalised: identity; logits row [1, 0]: -log softmax = log(1 + e) - 1, both directions, / 2
        assertEquals(Math.log(1 + Math.E) - 1, got[0], 1e-5);
    }

    @Test
    void tripletMatchesTheHandComputedValue() {
        double[][][] e = {{{0}, {2}}};
        float[] got = new TripletLoss().create(Map.of(), manager).perSample(batch(e, allPresent(2, 1)))
                .toFloatArray();
        assertEquals(0.001 * Math.log1p(Math.exp(-2)), got[0], 1e-8);
    }

    @Test
    void allLossesMatchTheReferenceWithFourModalitiesAndMissingOnes() {
        Random r = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            int n = 6;
            int m = 4;
            double[][][] e = new double[m][n][3];
            boolean[][] present = new boolean[n][m];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    present[i][k] = r.nextDouble() > 0.25;
                    for (int d = 0; d < 3; d++) {
                        e[k][i][d] = r.nextGaussian();
                    }
                }
            }
            present[0][3] = false; // modality 3 is surely missing somewhere
            ModalityBatch batch = batch(e, present);
            assertClose(Reference.softClip(e, present, 0.5),
                    new SoftTargetContrastiveLoss().create(Map.of("temperature", 0.5), manager).perSample(batch));
            assertClose(Reference.infoNce(e, present, 1 / 0.07),
                    new InfoNceLoss().create(Map.of("temperature", 0.07), manager).perSample(batch));
            assertClose(Reference.triplet(e, present, 0.001, false),
                    new TripletLoss().create(Map.of(), manager).perSample(batch));
            assertClose(Reference.triplet(e, present, 0.01, true),
                    new TripletLoss().create(Map.of("alpha", 0.01, "negative", "hardest"), manager).perSample(batch));
        }
    }

    @Test
    void aModalityMissingEverywhereChangesNothing() {
        Random r = new Random(5);
        double[][][] three = new double[3][4][2];
        double[][][] four = new double[4][4][2];
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 4; i++) {
                for (int d = 0; d < 2; d++) {
                    four[k][i][d] = r.nextGaussian();
                    if (k < 3) {
                        three[k][i][d] = four[k][i][d];
                    }
                }
            }
        }
        boolean[][] p4 = allPresent(4, 4);
        for (boolean[] row : p4) {
            row[3] = false;
        }
        float[] a = new SoftTargetContrastiveLoss().create(Map.of(), manager).perSample(batch(three, allPresent(4, 3)))
                .toFloatArray();
        float[] b = new SoftTargetContrastiveLoss().create(Map.of(), manager).perSample(batch(four, p4)).toFloatArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(a[i], b[i], 1e-5);
        }
    }

    @Test
    void theTemperatureIsLearnedAndClamped() {
        LossFunction loss = new InfoNceLoss().create(Map.of("temperature", 0.5, "maxScale", 3.0), manager);
        assertEquals(1, loss.parameters().size());
        NDArray logScale = loss.parameters().get(0);
        double[][][] e = {{{1, 0}, {0, 1}, {1, 1}}, {{1, 0.1}, {0.1, 1}, {1, 0.9}}};
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray l = loss.perSample(batch(e, allPresent(3, 2))).mean();
            gc.backward(l);
        }
        // ln(1/0.5) = 0.69 is below the cap ln 3 = 1.10, so the gradient reaches it
        assertTrue(Math.abs(logScale.getGradient().getFloat()) > 0, "no gradient on the temperature");
        assertTrue(new InfoNceLoss().create(Map.of("learnTemperature", false), manager).parameters().isEmpty());
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InfoNceLoss().create(Map.of("temprature", 0.1), manager));
        assertTrue(e.getMessage().contains("unknown setting 'temprature'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TripletLoss().create(Map.of("negative", "random"), manager));
        assertTrue(e.getMessage().contains("[hardest, next]"), e.getMessage());
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
            float[] flat = new float[n * e[k][0].length];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < e[k][0].length; d++) {
                    flat[i * e[k][0].length + d] = (float) e[k][i][d];
                }
            }
            emb.put("m" + k, manager.create(flat, new Shape(n, e[k][0].length)));
        }
        float[] mask = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                mask[i * m + k] = present[i][k] ? 1 : 0;
            }
        }
        return new ModalityBatch(names, emb, manager.create(mask, new Shape(n, m)));
    }

    private static boolean[][] allPresent(int n, int m) {
        boolean[][] p = new boolean[n][m];
        for (boolean[] row : p) {
            java.util.Arrays.fill(row, true);
        }
        return p;
    }
}
