package org.nmodal.serving.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.data.Standardizer;

/** A model version survives a round trip to disk and answers as before. */
class ModelVersionTest {
    @TempDir
    Path dir;

    @Test
    void aStoredVersionPredictsExactlyAsTheOneInMemory() throws Exception {
        Random r = new Random(3);
        int in = 5;
        int dim = 4;
        float[][] head = {gauss(r, in * dim), gauss(r, dim), gauss(r, dim * dim), gauss(r, dim), ones(dim), new float[dim]};
        Standardizer scaler = new Standardizer(gauss(r, in), ones(in));
        float[][] x = new float[60][];
        int[] y = new int[60];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 2;
            x[i] = gauss(r, 2 * dim);
            x[i][0] += 3 * y[i];
        }
        TrainedClassifier nb = TestParts.CENTROIDS.train(x, y, 2, 1);
        ModelVersion v = new ModelVersion("p", 1, 0, "trained", "now", "hash", dim, "concat",
                List.of(new ModelVersion.Part("text", "enc", "1", scaler, head),
                        new ModelVersion.Part("audio", "enc2", "1", scaler, head)),
                List.of(new ModelVersion.Task("stance", List.of("anti", "pro"), "centroids", nb, new float[0][], 0.9,
                        0.88, 60)), null);
        Path stored = v.save(dir, Map.of("stance.testAccuracy", 0.9));
        assertEquals(dir.resolve("v1"), stored);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary folder is left");
        }
        ModelVersion back = ModelVersion.load(stored, name -> TestParts.CENTROIDS);
        assertEquals(List.of("text", "audio"), back.modalities());
        Engine engine = Engine.getEngine("PyTorch");
        Map<String, float[]> post = Map.of("text", gauss(r, in)); // audio missing
        ModelVersion.Prediction a = v.predict(engine, TestParts.CONCAT, Map.of(), post);
        ModelVersion.Prediction b = back.predict(engine, TestParts.CONCAT, Map.of(), post);
        assertEquals(List.of("text"), a.modalities());
        assertEquals(a.probabilities(), b.probabilities());
        double[] p = a.probabilities().get("stance").values().stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(1, p[0] + p[1], 1e-9, "probabilities sum to 1");

        // batch scoring (what StoredScoring does for nmodal-spark) answers each post as a call of its own does
        List<Map<String, float[]>> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batch.add(i % 3 == 0 ? Map.of("audio", gauss(r, in)) : Map.of("text", gauss(r, in), "audio", gauss(r, in)));
        }
        Map<String, ModelVersion.Scores> scores = back.score(engine, TestParts.CONCAT, Map.of(), batch);
        for (int i = 0; i < batch.size(); i++) {
            List<String> used = back.modalities().stream().filter(batch.get(i)::containsKey).toList();
            ModelVersion.Prediction one = back.predict(engine, TestParts.CONCAT, Map.of(), batch.get(i));
            ModelVersion.Prediction many = back.prediction(scores, i, used);
            assertEquals(one.labels(), many.labels());
            assertEquals(one.modalities(), many.modalities());
            for (String c : List.of("anti", "pro")) {
                assertEquals(one.probabilities().get("stance").get(c), many.probabilities().get("stance").get(c), 1e-6);
            }
        }
    }

    @Test
    void aSupervisedFusionIsStoredAndServedAsItPredictedWhenTrained() throws Exception {
        // the class shows in a's first value or, where a is missing, in b's second
        int n = 300;
        Random r = new Random(5);
        float[][] a = new float[n][];
        float[][] b = new float[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            float sign = y[i] == 1 ? 3 : -1;
            if (i % 4 != 0) {
                a[i] = new float[] {sign + (float) r.nextGaussian() * 0.5f, 10 + (float) r.nextGaussian(), 0.5f};
            }
            b[i] = new float[] {(float) r.nextGaussian(), sign + (float) r.nextGaussian() * 0.5f};
        }
        int[] fit = java.util.stream.IntStream.range(0, 220).toArray();
        int[] test = java.util.stream.IntStream.range(220, n).toArray();
        Standardizer sa = Standardizer.fit(a, fit);
        Standardizer sb = Standardizer.fit(b, fit);
        Map<String, float[][]> inputs = Map.of("a", sa.apply(a), "b", sb.apply(b));
        Engine engine = Engine.getEngine("PyTorch");
        org.nmodal.training.SupervisedFitter.Fitted f = org.nmodal.training.SupervisedFitter.fit(engine,
                TestParts.LINEAR, Map.of(), List.of("a", "b"), inputs, fit, java.util.Arrays.copyOf(y, 220), 2, 7, test);
        int dim = 4;
        float[][] headA = {gauss(r, 3 * dim), gauss(r, dim), gauss(r, dim * dim), gauss(r, dim), ones(dim), new float[dim]};
        float[][] headB = {gauss(r, 2 * dim), gauss(r, dim), gauss(r, dim * dim), gauss(r, dim), ones(dim), new float[dim]};
        float[][] fused = new float[4][];
        for (int i = 0; i < fused.length; i++) {
            fused[i] = gauss(r, 2 * dim);
        }
        TrainedClassifier nb = TestParts.CENTROIDS.train(fused, new int[] {0, 1, 0, 1}, 2, 1);
        ModelVersion v = new ModelVersion("p", 1, 0, "trained", "now", "hash", dim, "linear",
                List.of(new ModelVersion.Part("a", "enc", "1", sa, headA),
                        new ModelVersion.Part("b", null, "", sb, headB, "time")),
                List.of(new ModelVersion.Task("stance", List.of("anti", "pro"), "centroids", nb, new float[0][], 0.9,
                        0.88, test.length, f.weights())), null);
        ModelVersion back = ModelVersion.load(v.save(dir, Map.of()), name -> TestParts.CENTROIDS);
        assertEquals("time", back.part("b").adapter());
        assertEquals("centroids", back.tasks.get(0).classifier(), "the classifier's file is read back");
        assertNull(back.part("b").encoder());
        int right = 0;
        for (int k = 0; k < test.length; k++) {
            int i = test[k];
            Map<String, float[]> post = a[i] == null ? Map.of("b", b[i]) : Map.of("a", a[i], "b", b[i]);
            for (ModelVersion m : List.of(v, back)) {
                double[] p = m.predict(engine, TestParts.LINEAR, Map.of(), post).probabilities().get("stance").values()
                        .stream().mapToDouble(Double::doubleValue).toArray();
                assertEquals(f.probabilities()[k][0], p[0], 1e-5, "post " + i + ": served as it was scored in training");
                assertEquals(f.probabilities()[k][1], p[1], 1e-5);
            }
            right += (f.probabilities()[k][1] > 0.5 ? 1 : 0) == y[i] ? 1 : 0;
        }
        assertTrue(right >= 0.9 * test.length, right + " of " + test.length + " test posts right");
        // weights that no longer fit the running fusion are refused when the version is loaded, not on each request
        back.checkFusion(engine, TestParts.LINEAR, Map.of());
        ModelVersion.Task t = back.tasks.get(0);
        ModelVersion stale = new ModelVersion("p", 2, 0, "trained", "now", "hash", dim, "linear", back.parts,
                List.of(new ModelVersion.Task(t.task(), t.classes(), t.classifier(), t.model(), t.fusion(), t.accuracy(),
                        t.macroF1(), t.testPosts(), new float[][] {t.supervised()[0]})), null);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> stale.checkFusion(engine, TestParts.LINEAR, Map.of()));
        assertTrue(e.getMessage().contains("do not fit the running linear"), e.getMessage());
    }

    private static float[] gauss(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
