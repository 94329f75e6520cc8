package org.nmodal.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.nmodal.api.batch.ModalityBatch;

/**
 * The one place {@link ModalityBatch}es are made from per-modality vectors (null rows for missing ones): zeros and
 * presence 0 where a post lacks a modality. Used for training the heads, fitting fusions, evaluating and serving.
 */
public final class Batches {
    private Batches() {}

    /**
     * Vectors copied onto the engine once, so that each batch is a gather of rows by index inside libtorch rather
     * than a copy of Java rows into new arrays at every step.
     */
    public static final class Resident {
        private final List<String> modalities;
        private final Map<String, NDArray> matrices = new HashMap<>();
        private final NDArray presence;
        private final int rows;

        /**
         * Copies the vectors of all rows onto {@code manager}.
         *
         * @param width each modality's width (known even when no row has a vector)
         */
        public Resident(NDManager manager, List<String> modalities, Map<String, float[][]> vectors,
                ToIntFunction<String> width) {
            this(manager, modalities, vectors, null, width);
        }

        private Resident(NDManager manager, List<String> modalities, Map<String, float[][]> vectors, int[] only,
                ToIntFunction<String> width) {
            this.modalities = List.copyOf(modalities);
            int n = only != null ? only.length : vectors.get(modalities.get(0)).length;
            int k = modalities.size();
            float[] mask = new float[n * k];
            for (int j = 0; j < k; j++) {
                String m = modalities.get(j);
                float[][] x = vectors.get(m);
                int d = width.applyAsInt(m);
                float[] flat = new float[n * d];
                for (int i = 0; i < n; i++) {
                    float[] row = x[only != null ? only[i] : i];
                    if (row != null) {
                        System.arraycopy(row, 0, flat, i * d, d);
                        mask[i * k + j] = 1;
                    }
                }
                matrices.put(m, manager.create(flat, new Shape(n, d)));
            }
            this.presence = manager.create(mask, new Shape(n, k));
            this.rows = n;
        }

        /** How many rows it holds. */
        public int size() {
            return rows;
        }

        /** One modality's {@code [n, width]} array (zeros where a row lacks it). */
        public NDArray matrix(String modality) {
            return matrices.get(modality);
        }

        /**
         * The batch of the given rows, its arrays attached to {@code manager}.
         *
         * @param project applied to each modality's {@code [b, width]} array (a projection head), or null for none
         * @param zeroMissing whether rows a post lacks are zeroed after {@code project} (as fused embeddings are);
         *     when false they hold whatever the projection gives for zeros, and only the presence mask marks them
         */
        public ModalityBatch batch(NDManager manager, int[] idx, BiFunction<String, NDArray, NDArray> project,
                boolean zeroMissing) {
            NDIndex at = new NDIndex("{}", manager.create(Arrays.stream(idx).asLongStream().toArray()));
            NDArray p = presence.get(at);
            p.attach(manager);
            Map<String, NDArray> emb = new HashMap<>();
            for (int j = 0; j < modalities.size(); j++) {
                String m = modalities.get(j);
                NDArray x = matrices.get(m).get(at);
                x.attach(manager);
                NDArray out = project == null ? x : project.apply(m, x);
                if (project != null && zeroMissing) {
                    out = out.mul(p.get(":, " + j).reshape(-1, 1));
                }
                emb.put(m, out);
            }
            return new ModalityBatch(modalities, emb, p);
        }
    }

    /** The batch of the given rows in one go (a served request, a fusion over every post). */
    public static ModalityBatch build(NDManager manager, List<String> modalities, Map<String, float[][]> vectors,
            int[] rows, ToIntFunction<String> width, BiFunction<String, NDArray, NDArray> project,
            boolean zeroMissing) {
        Resident r = new Resident(manager, modalities, vectors, rows, width);
        return r.batch(manager, all(rows.length), project, zeroMissing);
    }

    /** All rows {@code 0..n-1}. */
    public static int[] all(int n) {
        return IntStream.range(0, n).toArray();
    }

    /** The given rows of {@code x}, in order. */
    public static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int k = 0; k < idx.length; k++) {
            out[k] = x[idx[k]];
        }
        return out;
    }

    /** A flat {@code [n, width]} array as rows. */
    public static float[][] split(float[] flat, int n, int width) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }
}
