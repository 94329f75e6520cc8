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
