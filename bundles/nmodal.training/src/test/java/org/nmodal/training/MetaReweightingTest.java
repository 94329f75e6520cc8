package org.nmodal.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nmodal.loss.Losses;

/** The trainer with MAMA's loss and meta-learned weights, on views of one latent vector with some pairs broken. */
class MetaReweightingTest {
    private static final List<String> MODALITIES = List.of("text", "audio", "video");

    /** Replaces the video of every fourth training post with another training post's video (seeded). */
    static boolean[] corrupt(Map<String, float[][]> x, int[] train, long seed) {
        Random r = new Random(seed);
        float[][] v = x.get("video");
        float[][] original = v.clone();
        boolean[] broken = new boolean[v.length];
        for (int i = 0; i < train.length; i += 4) {
            int row = train[i];
            int other = train[r.nextInt(train.length)];
            if (other != row) {
                v[row] = original[other];
                broken[row] = true;
            }
        }
        return broken;
    }

    private static final Map<String, Double> PLAIN = Map.of("metaPosts", 64.0, "lr", 0.01);
    private static final Map<String, Object> AGREEMENT = Map.of("metaPosts", 64.0, "lr", 0.01, "signal", "agreement",
            "history", 0.8, "warmup", 2.0);

    private static HeadTrainer.Result train(Map<String, float[][]> x, int[] train, int[] dev, int epochs)
            throws Exception {
        return train(x, train, dev, epochs, PLAIN);
    }

    private static HeadTrainer.Result train(Map<String, float[][]> x, int[] train, int[] dev, int epochs,
            Map<String, ?> settings) throws Exception {
        HeadTrainer t = new HeadTrainer(Engine.getEngine("PyTorch"), MODALITIES, x, 16, 0.1)
                .reweighting(m -> Losses.metaWeight(settings).apply(m));
        return t.train(train, dev, Losses.mamaAngular(0.05, 0.1)::apply, epochs, 32, 1e-3, 1e-3, epochs, 5, null, null);
    }

    @Test
    void trainingWithTheWeightNetRepeatsBitForBit() throws Exception {
        Map<String, float[][]> x = HeadTrainerTest.views(240, 6);
        int[] train = IntStream.range(0, 160).toArray();
        int[] dev = IntStream.range(160, 240).toArray();
        corrupt(x, train, 2);
        HeadTrainer.Result a = train(x, train, dev, 3);
        HeadTrainer.Result b = train(x, train, dev, 3);
        for (String m : MODALITIES) {
            for (int i = 0; i < 240; i++) {
                assertArrayEquals(a.aligned().get(m)[i], b.aligned().get(m)[i], m + " post " + i);
            }
        }
        assertArrayEquals(a.sampleWeights(), b.sampleWeights());
    }

    @Test
    void theWeightsSeparateBrokenPairsFromCleanOnes() throws Exception {
        Map<String, float[][]> x = HeadTrainerTest.views(700, 9);
        int[] train = IntStream.range(0, 500).toArray();
        int[] dev = IntStream.range(500, 700).toArray();
        boolean[] broken = corrupt(x, train, 3);
        HeadTrainer.Result r = train(x, train, dev, 15);
        float[] w = r.sampleWeights();
        assertNotNull(w);
        double auc = auc(w, broken, train);
        assertTrue(auc > 0.8, "ROC AUC of the weights, clean vs broken: " + auc);
    }

    /**
     * The weight net reading each post's averaged past agreement with the meta gradient, after two uniform epochs:
     * repeatable bit for bit, and the weights separate the broken pairs (0.94 when written, seed 5).
     */
    @Test
    void theAgreementHistoryRepeatsBitForBitAndSeparatesBrokenPairs() throws Exception {
        Map<String, float[][]> x = HeadTrainerTest.views(700, 9);
        int[] train = IntStream.range(0, 500).toArray();
        int[] dev = IntStream.range(500, 700).toArray();
        boolean[] broken = corrupt(x, train, 3);
        HeadTrainer.Result a = train(x, train, dev, 8, AGREEMENT);
        HeadTrainer.Result b = train(x, train, dev, 8, AGREEMENT);
        assertArrayEquals(a.sampleWeights(), b.sampleWeights());
        for (int i = 0; i < 700; i += 7) {
            assertArrayEquals(a.aligned().get("video")[i], b.aligned().get("video")[i], "video post " + i);
        }
        double auc = auc(a.sampleWeights(), broken, train);
        assertTrue(auc > 0.85, "ROC AUC of the weights, clean vs broken, from the agreement history: " + auc);
    }

    /** Probability that a clean post's weight exceeds a broken one's. */
    static double auc(float[] w, boolean[] broken, int[] rows) {
        double wins = 0;
        long pairs = 0;
        for (int i : rows) {
            for (int j : rows) {
                if (!broken[i] && broken[j]) {
                    wins += w[i] > w[j] ? 1 : w[i] == w[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }
}
