package org.nmodal.pipeline.internal;

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
import org.nmodal.classify.internal.GaussianNaiveBayes;
import org.nmodal.fusion.internal.Fusions;

/** The parts serving rests on: encoder leases and ranking, and a model version that survives a round trip to disk. */
class ServingPartsTest {
    @TempDir
    Path dir;

    /** A trivial encoder: the registry only needs names, modalities and identity. */
    private static ModalityEncoder encoder(String label) {
        return new ModalityEncoder() {
            @Override public String name() { return "enc"; }
            @Override public String modality() { return "text"; }
            @Override public int dimension() { return 1; }
            @Override public String device() { return label; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) { return List.of(); }
        };
    }

    @Test
    void theHighestRankedEncoderServesAndALeavingOneWaitsForItsCalls() throws Exception {
        Registry registry = new Registry();
        List<String> removing = new ArrayList<>();
        registry.addListener(new Registry.EncoderListener() {
            @Override public void encoderAdded(String modality, String name) { }
            @Override public void encoderRemoving(String modality, String name) { removing.add(name); }
        });
        ModalityEncoder cpu = encoder("cpu");
        ModalityEncoder gpu = encoder("gpu");
        registry.addEncoder(cpu, Map.of("service.ranking", 0, "service.id", 1L));
        registry.addEncoder(gpu, Map.of("service.ranking", 10, "service.id", 2L));
        Registry.Lease held = registry.lease("enc");
        assertSame(gpu, held.encoder(), "the higher ranking wins");

        Thread removal = new Thread(() -> registry.removeEncoder(gpu, Map.of("service.ranking", 10, "service.id", 2L)));
        removal.start();
        removal.join(300);
        assertTrue(removal.isAlive(), "the removal waits for the call that holds the encoder");
        try (Registry.Lease next = registry.lease("enc")) {
            assertSame(cpu, next.encoder(), "new calls already go to the other instance");
        }
        held.close();
        removal.join(5_000);
        assertFalse(removal.isAlive(), "the removal ends once the call is done");
        assertEquals(List.of(), removing, "another instance of the name is left: nobody has to switch away");

        registry.removeEncoder(cpu, Map.of("service.ranking", 0, "service.id", 1L));
        assertEquals(List.of("enc"), removing, "the last one leaving is announced");
        assertNull(registry.lease("enc"));
    }

    /** An encoder that misbehaves as told: wrong length, throwing, blocking or a wrong count. */
    private static ModalityEncoder misbehaving(String how) {
        return new ModalityEncoder() {
            @Override public String name() { return how; }
            @Override public String modality() { return "text"; }
            @Override public int dimension() { return 3; }
            @Override public String device() { return "cpu"; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) {
                switch (how) {
                    case "short": return inputs.stream().map(i -> Encoding.of(new float[2])).toList();
                    case "throws": throw new IllegalStateException("boom");
                    case "blocks":
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return List.of();
                    case "fewer": return List.of(Encoding.of(new float[3]));
                    default: return inputs.stream().map(i -> Encoding.of(new float[3])).toList();
                }
            }
        };
    }

    @Test
    void aMisbehavingEncoderFailsOnlyItsOwnInputsWithALineNamingIt() {
        List<ModalityInput> two = List.of(new org.nmodal.api.data.TextInput("a"), new org.nmodal.api.data.TextInput("b"));
        assertTrue(EncoderGuard.encode(misbehaving("good"), "good", two, 5_000).stream().allMatch(Encoding::ok));
        assertEquals("encoder short returned 2 values, it declares dimension 3",
                EncoderGuard.encode(misbehaving("short"), "short", two, 5_000).get(0).error());
        assertEquals("encoder throws failed: IllegalStateException: boom",
                EncoderGuard.encode(misbehaving("throws"), "throws", two, 5_000).get(1).error());
        assertEquals("encoder fewer returned 1 encodings for 2 inputs",
                EncoderGuard.encode(misbehaving("fewer"), "fewer", two, 5_000).get(0).error());
        long t0 = System.nanoTime();
        assertEquals("encoder blocks did not answer within 300 ms",
                EncoderGuard.encode(misbehaving("blocks"), "blocks", two, 300).get(0).error());
        assertTrue((System.nanoTime() - t0) / 1e6 < 5_000, "the caller goes on after the timeout");
        assertEquals(2, EncoderGuard.failures().get("short").count(), "both inputs of the short one failed");
        assertFalse(EncoderGuard.failures().containsKey("good"));
    }

    @Test
    void aStoredVersionPredictsExactlyAsTheOneInMemory() throws Exception {
        Random r = new Random(3);
        int in = 5;
        int dim = 4;
        float[][] head = {gauss(r, in * dim), gauss(r, dim), gauss(r, dim * dim), gauss(r, dim), ones(dim), new float[dim]};
        Standardize.Scaler scaler = new Standardize.Scaler(gauss(r, in), ones(in));
        float[][] x = new float[60][];
        int[] y = new int[60];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 2;
            x[i] = gauss(r, 2 * dim);
            x[i][0] += 3 * y[i];
        }
        TrainedClassifier nb = new GaussianNaiveBayes().train(x, y, 2, 1);
        ModelVersion v = new ModelVersion("p", 1, 0, "trained", "now", "hash", dim, "concat",
                List.of(new ModelVersion.Part("text", "enc", "1", scaler, head),
                        new ModelVersion.Part("audio", "enc2", "1", scaler, head)),
                List.of(new ModelVersion.Task("stance", List.of("anti", "pro"), "gaussian-nb", nb, new float[0][], 0.9,
                        0.88, 60)), null);
        Path stored = v.save(dir, Map.of("stance.testAccuracy", 0.9));
        assertEquals(dir.resolve("v1"), stored);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary folder is left");
        }
        ModelVersion back = ModelVersion.load(stored, name -> new GaussianNaiveBayes());
        assertEquals(List.of("text", "audio"), back.modalities());
        Engine engine = Engine.getEngine("PyTorch");
        Map<String, float[]> post = Map.of("text", gauss(r, in)); // audio missing
        ModelVersion.Prediction a = v.predict(engine, new Fusions.Concat(), post);
        ModelVersion.Prediction b = back.predict(engine, new Fusions.Concat(), post);
        assertEquals(List.of("text"), a.modalities());
        assertEquals(a.probabilities(), b.probabilities());
        double[] p = a.probabilities().get("stance").values().stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(1, p[0] + p[1], 1e-9, "probabilities sum to 1");
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
