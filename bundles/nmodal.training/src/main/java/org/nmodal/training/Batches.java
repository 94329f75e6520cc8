package org.nmodal.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import org.nmodal.api.batch.ModalityBatch;

/**
 * Builds the {@link ModalityBatch} of some posts from per-modality vectors (null rows for missing ones): zeros and
 * presence 0 where a post lacks a modality. The one place batches are made, for training the heads, fitting fusions,
 * evaluating and serving.
 */
public final class Batches {
    private Batches() {}

    /**
     * The batch of the given rows.
     *
     * @param vectors per-modality vectors, null rows for missing ones
     * @param width each modality's width (known even when no row of the batch has a vector)
     * @param project applied to each modality's {@code [n, width]} array (a projection head), or null for none
     * @param zeroMissing whether rows a post lacks are zeroed after {@code project} (as fused embeddings are); when
     *     false they hold whatever the projection gives for zeros, and only the presence mask marks them
     */
    public static ModalityBatch build(NDManager manager, List<String> modalities, Map<String, float[][]> vectors,
            int[] rows, ToIntFunction<String> width, BiFunction<String, NDArray, NDArray> project, boolean zeroMissing) {
        Map<String, NDArray> emb = new HashMap<>();
        int k = modalities.size();
        float[] presence = new float[rows.length * k];
        for (int j = 0; j < k; j++) {
            String m = modalities.get(j);
            float[][] x = vectors.get(m);
            int d = width.applyAsInt(m);
            float[] flat = new float[rows.length * d];
            for (int b = 0; b < rows.length; b++) {
                float[] row = x[rows[b]];
                if (row != null) {
                    System.arraycopy(row, 0, flat, b * d, d);
                    presence[b * k + j] = 1;
                }
            }
            NDArray in = manager.create(flat, new Shape(rows.length, d));
            NDArray out = project == null ? in : project.apply(m, in);
            if (project != null && zeroMissing) {
                float[] mask = new float[rows.length];
                for (int b = 0; b < rows.length; b++) {
                    mask[b] = presence[b * k + j];
                }
                out = out.mul(manager.create(mask, new Shape(rows.length, 1)));
            }
            emb.put(m, out);
        }
        return new ModalityBatch(modalities, emb, manager.create(presence, new Shape(rows.length, k)));
    }

    /** All rows {@code 0..n-1}. */
    public static int[] all(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    /** The given rows of {@code x}, in order. */
    public static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int k = 0; k < idx.length; k++) {
            out[k] = x[idx[k]];
        }
        return out;
    }

    /** {@code [n, width]} float array to rows. */
    public static float[][] split(float[] flat, int n, int width) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }
}
