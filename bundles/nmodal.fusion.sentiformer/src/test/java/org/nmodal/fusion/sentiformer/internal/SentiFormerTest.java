package org.nmodal.fusion.sentiformer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.SupervisedFusion;

/** The relevance layer against loops written out, and the network's masking of missing streams. */
class SentiFormerTest {
    private static final int B = 2;
    private static final int T = 3;
    private static final int D = 4;
    private static final int HEADS = 2;

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void relevanceLayerMatchesALoopByLoopReference() {
        Random r = new Random(5);
        float[] h = random(r, B * T * D);
        float[] p = random(r, B * T * D);
        float[] v = random(r, B * T * D);
        float[][] w = new float[6][];
        for (int i = 0; i < 6; i++) {
            w[i] = random(r, D * D);
        }
        // post 0 has both streams, post 1 lacks the prompt
        float[] pPresent = {1, 0};
        float[] vPresent = {1, 1};
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray[] wa = new NDArray[6];
            for (int i = 0; i < 6; i++) {
                wa[i] = m.create(w[i], new Shape(D, D));
            }
            float[] got = Attention.relevance(m.create(h, new Shape(B, T, D)), m.create(p, new Shape(B, T, D)),
                    m.create(pPresent), m.create(v, new Shape(B, T, D)), m.create(vPresent), wa, HEADS).toFloatArray();
            float[] want = reference(h, p, v, pPresent, vPresent, w);
            assertArrayEquals(want, got, 1e-4f);
            // without the prompt stream in the subset it is the image term alone
            float[] imageOnly = Attention.relevance(m.create(h, new Shape(B, T, D)), null, null,
                    m.create(v, new Shape(B, T, D)), m.create(vPresent), wa, HEADS).toFloatArray();
            assertArrayEquals(reference(h, p, v, new float[] {0, 0}, vPresent, w), imageOnly, 1e-4f);
        }
    }

    /** {@code H + Wo [softmax(Q Kp^T / sqrt(dk)) Vp * pPresent + softmax(Q Kv^T / sqrt(dk)) Vv * vPresent]}, per head. */
    private static float[] reference(float[] h, float[] p, float[] v, float[] pPresent, float[] vPresent, float[][] w) {
        int dk = D / HEADS;
        float[] out = h.clone();
        for (int b = 0; b < B; b++) {
            double[][] q = project(h, b, w[0]);
            double[][] kp = project(p, b, w[1]);
            double[][] vpv = project(p, b, w[2]);
            double[][] kv = project(v, b, w[3]);
            double[][] vvv = project(v, b, w[4]);
            double[][] sum = new double[T][D];
            for (int head = 0; head < HEADS; head++) {
                for (int i = 0; i < T; i++) {
                    for (int s = 0; s < 2; s++) {
                        double[][] k = s == 0 ? kp : kv;
                        double[][] val = s == 0 ? vpv : vvv;
                        double present = s == 0 ? pPresent[b] : vPresent[b];
                        double[] score = new double[T];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < T; j++) {
                            for (int c = head * dk; c < (head + 1) * dk; c++) {
                                score[j] += q[i][c] * k[j][c];
                            }
                            score[j] /= Math.sqrt(dk);
                            max = Math.max(max, score[j]);
                        }
                        double z = 0;
                        for (int j = 0; j < T; j++) {
                            score[j] = Math.exp(score[j] - max);
                            z += score[j];
                        }
                        for (int j = 0; j < T; j++) {
                            for (int c = head * dk; c < (head + 1) * dk; c++) {
                                sum[i][c] += present * score[j] / z * val[j][c];
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < T; i++) {
                for (int c = 0; c < D; c++) {
                    double o = 0;
                    for (int e = 0; e < D; e++) {
                        o += sum[i][e] * w[5][e * D + c];
                    }
                    out[(b * T + i) * D + c] += (float) o;
                }
            }
        }
        return out;
    }

    /** Row-major {@code x[b] (T x D) @ w (D x D)}. */
    private static double[][] project(float[] x, int b, float[] w) {
        double[][] out = new double[T][D];
        for (int i = 0; i < T; i++) {
            for (int c = 0; c < D; c++) {
                for (int e = 0; e < D; e++) {
                    out[i][c] += x[(b * T + i) * D + e] * w[e * D + c];
                }
            }
        }
        return out;
    }

    @Test
    void aMissingStreamDoesNotReachTheOutput() {
        List<String> mods = List.of("image", "caption", "prompt");
        Map<String, Integer> dims = Map.of("image", 6, "caption", 5, "prompt", 3);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            SupervisedFusion f = new SentiFormerFusion().createSupervised(new FusionTask(mods, dims, 3, 11),
                    Map.of("width", 8.0, "tokens", 2.0, "heads", 2.0, "depth", 2.0, "residual", false), m);
            assertEquals(8, f.outputDimension());
            assertFalse(f.parameters().isEmpty());
            Random r = new Random(2);
            float[] image = random(r, 2 * 6);
            float[] caption = random(r, 2 * 5);
            float[] prompt1 = random(r, 2 * 3);
            float[] prompt2 = prompt1.clone();
            // post 1 lacks the prompt: whatever its row holds must not matter; post 0's must
            prompt2[3] += 5;
            prompt2[0] += 5;
            float[] presence = {1, 1, 1, 1, 1, 0};
            float[] a = f.logits(batch(m, mods, image, caption, prompt1, presence), false).toFloatArray();
            float[] b = f.logits(batch(m, mods, image, caption, prompt2, presence), false).toFloatArray();
            assertEquals(6, a.length);
            assertArrayEquals(new float[] {a[3], a[4], a[5]}, new float[] {b[3], b[4], b[5]}, 1e-5f);
            assertTrue(Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > 1e-4);
            // predicting is deterministic; training draws dropout masks
            float[] again = f.logits(batch(m, mods, image, caption, prompt1, presence), false).toFloatArray();
            assertArrayEquals(a, again, 0);
            // a training pass leaves nothing in the parameters' manager: every array of it belongs to the batch's
            int held = m.getManagedArrays().size();
            try (NDManager step = m.newSubManager()) {
                NDArray logits = f.logits(batch(step, mods, image, caption, prompt1, presence), true);
                assertEquals(6, logits.size());
            }
            assertEquals(held, m.getManagedArrays().size(), "arrays left in the fusion's manager by one pass");
        }
    }

    @Test
    void theQueryStreamsResidualHeadReachesTheScoresOnlyWhereThePostHasIt() {
        List<String> mods = List.of("image", "caption", "prompt");
        Map<String, Integer> dims = Map.of("image", 6, "caption", 5, "prompt", 3);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            SupervisedFusion f = new SentiFormerFusion().createSupervised(new FusionTask(mods, dims, 3, 11),
                    Map.of("width", 8.0, "tokens", 2.0, "heads", 2.0, "depth", 1.0), m);
            Random r = new Random(4);
            float[] image = random(r, 2 * 6);
            float[] caption = random(r, 2 * 5);
            float[] prompt = random(r, 2 * 3);
            float[] presence = {1, 1, 1, 1, 1, 1};
            // at the start the fused head and the residual head are zero: the scores are the bias alone
            assertArrayEquals(new float[6], f.logits(batch(m, mods, image, caption, prompt, presence), false)
                    .toFloatArray(), 0);
            for (NDArray p : f.parameters()) {
                p.set(random(r, (int) p.size()));
            }
            float[] changed = caption.clone();
            changed[5] += 3; // post 1's caption row
            float[] a = f.logits(batch(m, mods, image, caption, prompt, presence), false).toFloatArray();
            float[] b = f.logits(batch(m, mods, image, changed, prompt, presence), false).toFloatArray();
            assertTrue(Math.abs(a[3] - b[3]) + Math.abs(a[4] - b[4]) + Math.abs(a[5] - b[5]) > 1e-4);
            float[] noCaption = {1, 1, 1, 1, 0, 1};
            a = f.logits(batch(m, mods, image, caption, prompt, noCaption), false).toFloatArray();
            b = f.logits(batch(m, mods, image, changed, prompt, noCaption), false).toFloatArray();
            assertArrayEquals(new float[] {a[3], a[4], a[5]}, new float[] {b[3], b[4], b[5]}, 1e-5f);
        }
    }

    private static ModalityBatch batch(NDManager m, List<String> mods, float[] image, float[] caption, float[] prompt,
            float[] presence) {
        return new ModalityBatch(mods, Map.of("image", m.create(image, new Shape(2, 6)), "caption",
                m.create(caption, new Shape(2, 5)), "prompt", m.create(prompt, new Shape(2, 3))),
                m.create(presence, new Shape(2, 3)));
    }

    @Test
    void unknownOrBadSettingsAreOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SentiFormerSettings.read(Map.of("qurey", "caption")));
        assertTrue(e.getMessage().startsWith("fusion sentiformer: unknown setting 'qurey'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SentiFormerSettings.read(Map.of("width", 10.0, "heads", 3.0)));
        assertThrows(IllegalArgumentException.class, () -> SentiFormerSettings.read(Map.of("lr", 0.0)));
    }
}
