package org.nmodal.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.pipeline.EpochStat;

class HeadTrainerTest {
    @TempDir
    Path dir;

    /** Three modalities that are noisy views of one latent vector per post. */
    static Map<String, float[][]> views(int n, long seed) {
        Random r = new Random(seed);
        float[][] latent = new float[n][8];
        for (float[] z : latent) {
            for (int j = 0; j < 8; j++) {
                z[j] = (float) r.nextGaussian();
            }
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        int[] dims = {30, 20, 40};
        String[] names = {"text", "audio", "video"};
        for (int k = 0; k < 3; k++) {
            float[][] mix = new float[8][dims[k]];
            for (float[] row : mix) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
            float[][] x = new float[n][dims[k]];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dims[k]; j++) {
                    double s = 0.5 * r.nextGaussian();
                    for (int l = 0; l < 8; l++) {
                        s += latent[i][l] * mix[l][j];
                    }
                    x[i][j] = (float) s;
                }
            }
            out.put(names[k], x);
        }
        return out;
    }

    @Test
    void theSameSeedTrainsTheSameHeads() throws Exception {
        Map<String, float[][]> x = views(300, 4);
        int[] train = IntStream.range(0, 200).toArray();
        int[] dev = IntStream.range(200, 300).toArray();
        float[][] first = null;
        for (int run = 0; run < 2; run++) {
            HeadTrainer t = new HeadTrainer(Engine.getEngine("PyTorch"), List.of("text", "audio", "video"), x, 16, 0.1);
            float[][] v = t.train(train, dev, TestLoss.infoNce(0.5), 6, 32, 1e-3, 1e-3, 6, 9, null, null)
                    .aligned().get("video");
            if (first == null) {
                first = v;
            } else {
                for (int i = 0; i < v.length; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(first[i], v[i], "post " + i);
                }
            }
        }
    }

    /** Stops a training as a kill would: right after an epoch's checkpoint. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    @Test
    void aResumedTrainingEndsWithTheSameWeightsAsOneNeverInterrupted() throws Exception {
        Map<String, float[][]> x = views(300, 5);
        int[] train = IntStream.range(0, 200).toArray();
        int[] dev = IntStream.range(200, 300).toArray();
        List<String> m = List.of("text", "audio", "video");
        Engine engine = Engine.getEngine("PyTorch");
        // dropout 0.2: the engine's random source must be where it was, too
        HeadTrainer.Result whole = new HeadTrainer(engine, m, x, 16, 0.2).train(train, dev, TestLoss.infoNce(0.5), 7,
                32, 3e-3, 1e-3, 7, 11, dir.resolve("whole/heads.bin"), false, null);
        Path ck = dir.resolve("resumed/heads.bin");
        org.junit.jupiter.api.Assertions.assertThrows(Killed.class, () -> new HeadTrainer(engine, m, x, 16, 0.2)
                .train(train, dev, TestLoss.infoNce(0.5), 7, 32, 3e-3, 1e-3, 7, 11, ck, false, (e, max, eta) -> {
                    if (e.epoch() == 3) {
                        throw new Killed();
                    }
                }));
        List<Integer> seen = new java.util.ArrayList<>();
        HeadTrainer.Result resumed = new HeadTrainer(engine, m, x, 16, 0.2).train(train, dev, TestLoss.infoNce(0.5), 7,
                32, 3e-3, 1e-3, 7, 11, ck, true, (e, max, eta) -> seen.add(e.epoch()));
        org.junit.jupiter.api.Assertions.assertEquals(List.of(4, 5, 6, 7), seen, "resumed after the third epoch");
        org.junit.jupiter.api.Assertions.assertEquals(whole.history().size(), resumed.history().size());
        for (int i = 0; i < whole.history().size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(whole.history().get(i).devLoss(),
                    resumed.history().get(i).devLoss(), "dev loss of epoch " + (i + 1));
        }
        for (String k : m) {
            float[][] a = whole.weights().get(k);
            float[][] b = resumed.weights().get(k);
            for (int i = 0; i < a.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(a[i], b[i], k + " weight " + i);
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(dir.resolve("whole/heads.bin")),
                Files.readAllBytes(ck), "the checkpoints are the same bytes");
        // a state from other settings is refused with one line, not silently mixed in
        org.nmodal.api.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.nmodal.api.InvalidInputException.class, () -> new HeadTrainer(engine, m, x, 16, 0.2).train(train,
                        dev, TestLoss.infoNce(0.5), 9, 32, 3e-3, 1e-3, 7, 11, ck, true, null));
        assertTrue(e.getMessage().contains("other training settings"), e.getMessage());
    }

    @Test
    void bothContrastiveLossesAlignTheViewsAndStayFinite() throws Exception {
        Map<String, float[][]> x = views(600, 3);
        int[] train = IntStream.range(0, 400).toArray();
        int[] dev = IntStream.range(400, 500).toArray();
        int[] test = IntStream.range(500, 600).toArray();
        for (int run = 0; run < 2; run++) {
            HeadTrainer t = new HeadTrainer(Engine.getEngine("PyTorch"), List.of("text", "audio", "video"), x, 32, 0.1);
            HeadTrainer.Result r = t.train(train, dev, TestLoss.infoNce(run == 0 ? 0.5 : 0.07), 25, 64, 1e-3, 1e-3, 5, 7,
                    dir.resolve("heads.bin"), null);
            for (EpochStat e : r.history()) {
                assertTrue(Double.isFinite(e.trainLoss()) && Double.isFinite(e.devLoss()), "epoch " + e);
            }
            assertTrue(r.history().get(r.bestEpoch() - 1).devLoss() < r.history().get(0).devLoss() * 0.8,
                    "dev loss barely fell: " + r.history());
            // aligned: a post's text embedding finds its own audio embedding among 100 test posts
            double r10 = TestLoss.recallAt10(r.aligned().get("text"), r.aligned().get("audio"), test);
            assertTrue(r10 > 0.5, "text->audio R@10 " + r10 + " (chance 0.1)");
            for (float[] v : r.aligned().get("text")) {
                for (float f : v) {
                    assertTrue(Float.isFinite(f), "aligned embeddings must be finite");
                }
            }
        }
    }

    /** Posts that rarely share two modalities: batches without a shared pair are skipped, not a PyTorch error. */
    @Test
    void batchesWithoutASharedPairAreSkipped() throws Exception {
        Map<String, float[][]> x = views(64, 5);
        float[][] audio = x.get("audio");
        for (int i = 2; i < audio.length; i++) {
            audio[i] = null; // only posts 0 and 1 have audio next to text
        }
        x.remove("video");
        int[] train = IntStream.range(0, 48).toArray();
        int[] dev = IntStream.range(48, 64).toArray();
        HeadTrainer t = new HeadTrainer(Engine.getEngine("PyTorch"), List.of("text", "audio"), x, 8, 0.0);
        HeadTrainer.Result r = t.train(train, dev, TestLoss.infoNce(0.5), 2, 4, 1e-3, 1e-3, 2, 9, null, null);
        assertTrue(r.aligned().get("text").length == 64);
    }
}
